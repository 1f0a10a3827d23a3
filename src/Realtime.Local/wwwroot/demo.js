// The demo speaks the client protocol of docs/protocol.md over a raw WebSocket, as a browser app on AWS would.
// The local host issues the development token; on AWS the token would come from Cognito.
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const stage = params.get("stage") ?? "local";
const wsBase = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/${stage}`;
for (const el of document.querySelectorAll(".origin")) el.textContent = location.origin;

let socket = null;
let nextId = 1;
const pending = new Map(); // id -> what the request was, so answers can be told apart
let room = null;

function setState(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
  const open = state === "open";
  for (const id of ["watch", "join", "who", "send", "disconnect"]) $(id).disabled = !open;
  $("connect").disabled = open;
}

function item(list, text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  $(list).append(li);
  li.scrollIntoView({ block: "nearest" });
  return li;
}

function request(action, fields = {}) {
  const id = String(nextId++);
  pending.set(id, { action, ...fields });
  const frame = JSON.stringify({ action, id, ...fields });
  item("frames", `→ ${frame}`);
  socket.send(frame);
  return id;
}

async function connect(user) {
  setState("connecting", "connecting…");
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sub: user, username: user }),
  });
  if (!response.ok) {
    setState("closed", `no token: ${response.status} ${await response.text()}`);
    return;
  }
  const { token } = await response.json();
  socket = new WebSocket(`${wsBase}?token=${encodeURIComponent(token)}`);
  socket.onopen = () => setState("open", `connected as ${user}`);
  socket.onclose = (e) => {
    setState("closed", `closed (${e.code}${e.reason ? " " + e.reason : ""})`);
    socket = null;
  };
  socket.onmessage = (e) => receive(e.data);
}

function receive(text) {
  item("frames", `← ${text}`);
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  const asked = message.id !== undefined ? pending.get(String(message.id)) : undefined;
  if (asked) pending.delete(String(message.id));
  switch (message.type) {
    case "event":
      item("events", `${message.topic}: ${message.event} ${JSON.stringify(message.data ?? null)}`).dataset.event = message.event;
      break;
    case "message":
      item("messages", `${message.from ?? "anonymous"}: ${message.data?.text ?? JSON.stringify(message.data)}`).dataset.from = message.from ?? "";
      break;
    case "who":
      $("members").textContent = `Here: ${message.users.join(", ") || "nobody"}${message.anonymous ? ` and ${message.anonymous} anonymous` : ""}`;
      break;
    case "ack":
      if (asked?.action === "subscribe" && asked.topic.startsWith("wishlist:")) item("events", `watching ${asked.topic}`, "note");
      if (asked?.action === "subscribe" && asked.topic.startsWith("room:")) item("messages", `joined ${asked.topic}`, "note");
      break;
    case "error":
      item(asked?.action === "send" || asked?.topic?.startsWith("room:") ? "messages" : "events", `${message.code}: ${message.message}`, "error");
      break;
    default:
      if (message.message) item("events", `gateway: ${message.message}`, "error");
  }
}

$("connect-form").onsubmit = (e) => {
  e.preventDefault();
  connect($("user").value.trim());
};
$("disconnect").onclick = () => socket?.close(1000, "bye");
$("watch-form").onsubmit = (e) => {
  e.preventDefault();
  request("subscribe", { topic: `wishlist:${$("wishlist-id").value.trim()}` });
};
$("join-form").onsubmit = (e) => {
  e.preventDefault();
  if (room) request("unsubscribe", { topic: room });
  room = `room:${$("room").value.trim()}`;
  request("subscribe", { topic: room });
};
$("who").onclick = () => request("who", { topic: room ?? `room:${$("room").value.trim()}` });
$("send-form").onsubmit = (e) => {
  e.preventDefault();
  request("send", { topic: room ?? `room:${$("room").value.trim()}`, data: { text: $("text").value } });
  $("text").value = "";
};
