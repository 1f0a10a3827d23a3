namespace Realtime.Local.Hosting;

/// <summary>The page at <c>/</c>: connect to the stage over a raw WebSocket, send text, see every frame.</summary>
internal static class DemoPage
{
    public static string Html(string stage) => Template.Replace("{{STAGE}}", stage, StringComparison.Ordinal);

    private const string Template = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Realtime local gateway</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 2rem; max-width: 60rem; }
          input, button { font: inherit; padding: .3rem .5rem; }
          #url { width: 28rem; } #text { width: 40rem; }
          #log { font: 13px ui-monospace, monospace; background: #f6f6f6; padding: 1rem; height: 24rem; overflow-y: auto; white-space: pre-wrap; }
          .in { color: #0a5; } .out { color: #05a; } .meta { color: #888; }
        </style>
        </head>
        <body>
        <h1>Realtime local gateway</h1>
        <p>A local emulation of API Gateway's WebSocket API, stage <code>{{STAGE}}</code>. Messages are routed by the
        template's route selection expression to its functions; whatever they post through <code>@connections</code> arrives here.</p>
        <p><input id="url"> <button id="connect">Connect</button> <button id="close" disabled>Close</button></p>
        <p><input id="text" value='{"action":"ping","id":"1"}'> <button id="send" disabled>Send</button></p>
        <div id="log"></div>
        <script>
          const $ = id => document.getElementById(id);
          $("url").value = `ws://${location.host}/{{STAGE}}`;
          let socket;
          const log = (cls, text) => {
            const line = document.createElement("div");
            line.className = cls;
            line.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
            $("log").append(line);
            $("log").scrollTop = $("log").scrollHeight;
          };
          const state = open => { $("send").disabled = !open; $("close").disabled = !open; $("connect").disabled = open; };
          $("connect").onclick = () => {
            socket = new WebSocket($("url").value);
            socket.onopen = () => { log("meta", "connected"); state(true); };
            socket.onmessage = e => log("in", "< " + e.data);
            socket.onclose = e => { log("meta", `closed ${e.code} ${e.reason}`); state(false); };
            socket.onerror = () => log("meta", "error (see the host's console for the handshake status)");
          };
          $("send").onclick = () => { socket.send($("text").value); log("out", "> " + $("text").value); };
          $("close").onclick = () => socket.close(1000, "bye");
        </script>
        </body>
        </html>
        """;
}
