// The demo page in headless Chromium against a running local host:
//   node demo.spec.mjs <base-url> [publish-key]
// Two users connect with development tokens; a backend publishes to wishlist:42 and only its watcher sees it;
// both join room:lobby, alice says hello, bob sees it once, and "who" lists both. Exit code 0 means every step held.
import { chromium } from "playwright-core";

const [base, publishKey = ""] = process.argv.slice(2);
const timeout = 15_000;
const step = (name) => console.log(JSON.stringify({ step: name }));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"], timeout });
try {
  const alice = await open("alice");
  const bob = await open("bob");
  step("connected");

  await alice.fill("#wishlist-id", "42");
  await alice.click("#watch");
  await alice.locator("#events li.note", { hasText: "watching wishlist:42" }).waitFor({ timeout });
  step("watching");

  const published = await fetch(`${base}/publish`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Realtime-Publish-Key": publishKey },
    body: JSON.stringify({ topic: "wishlist:42", event: "item_added", data: { name: "Tea" } }),
    signal: AbortSignal.timeout(timeout),
  });
  if (!published.ok) throw new Error(`POST /publish answered ${published.status}: ${await published.text()}`);
  const event = alice.locator('#events li[data-event="item_added"]');
  await event.waitFor({ timeout });
  expectEqual(await event.textContent(), 'wishlist:42: item_added {"name":"Tea"}');
  expectEqual(await bob.locator('#events li[data-event="item_added"]').count(), 0);
  step("published");

  for (const page of [alice, bob]) {
    await page.click("#join");
    await page.locator("#messages li.note", { hasText: "joined room:lobby" }).waitFor({ timeout });
  }
  await alice.fill("#text", "hello");
  await alice.click("#send");
  const said = bob.locator('#messages li[data-from="alice"]');
  await said.waitFor({ timeout });
  await alice.locator('#messages li[data-from="alice"]').waitFor({ timeout });
  expectEqual(await said.allTextContents(), ["alice: hello"]);
  step("chatted");

  await bob.click("#who");
  await bob.locator("#members", { hasText: "Here:" }).waitFor({ timeout });
  expectEqual(await bob.locator("#members").textContent(), "Here: alice, bob");
  step("who");
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function open(user) {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${base}/`, { timeout });
  await page.fill("#user", user);
  await page.click("#connect");
  await page.locator('#status[data-state="open"]').waitFor({ timeout });
  return page;
}

function expectEqual(actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
