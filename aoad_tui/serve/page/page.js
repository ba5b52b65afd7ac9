// The page's side of `aoad-tui serve --web`: a terminal (xterm.js) joined to the app's
// pseudo-terminal by one websocket. Binary frames carry bytes (keys in, screen out); text frames
// carry JSON: {"size": [columns, rows]} from here, {"said": "..."} from the server.
"use strict";
(function () {
  const status = document.getElementById("status");
  const term = new Terminal({
    // The system's own monospace font: nothing is fetched from anywhere.
    fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Liberation Mono", monospace',
    fontSize: 15,
    cursorBlink: false,
    allowProposedApi: false,
    scrollback: 0,
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById("terminal"));
  fit.fit();
  window.aoadTerminal = term; // what the tests read the screen from

  let lastSaid = ""; // what the server said last: why a session ended outlives the close's reason
  function say(text) {
    status.textContent = text;
    status.classList.toggle("shown", Boolean(text));
  }

  // y in the app copies with OSC 52: into the browser's clipboard.
  term.parser.registerOscHandler(52, (data) => {
    const encoded = data.split(";").pop();
    try {
      const text = new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
      navigator.clipboard.writeText(text).catch(() => say("The browser refused the clipboard."));
    } catch (error) {
      /* not base64: nothing to copy */
    }
    return true;
  });

  // Relative to this page: works under a reverse proxy's path prefix, ws:// or wss:// as the page.
  const url = new URL("session", window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const encoder = new TextEncoder();

  function sendSize() {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ size: [term.cols, term.rows] }));
    }
  }

  const times = (window.aoadTimes = {}); // for the benchmark: when the socket opened, when output came
  socket.addEventListener("open", () => {
    times.opened = performance.now();
    sendSize();
    term.focus();
  });
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") {
      const message = JSON.parse(event.data);
      if (message.said) say((lastSaid = message.said));
    } else {
      if (times.output === undefined) times.output = performance.now();
      if (times.reply === undefined) times.reply = performance.now();
      term.write(new Uint8Array(event.data));
    }
  });
  socket.addEventListener("close", (event) => {
    const why = lastSaid || event.reason || "the session has ended";
    say(`${why}. Reload the page to start another session.`);
    window.aoadClosed = { code: event.code, reason: event.reason };
  });
  term.onData((data) => {
    times.key = performance.now();
    times.reply = undefined;
    if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
  });
  term.onBinary((data) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(Uint8Array.from(data, (c) => c.charCodeAt(0)));
  });
  term.onResize(sendSize);

  // A code from the app over SSH makes this browser that key's user (from the next session).
  document.getElementById("link").addEventListener("click", async () => {
    const code = window.prompt("The code the app gave you over SSH (ctrl+p, then Link a browser):");
    if (!code) return term.focus();
    const response = await fetch(new URL("link", window.location.href), {
      method: "POST",
      body: new URLSearchParams({ code: code }),
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({ said: "no answer" }));
    say(answer.said);
    if (response.ok) window.setTimeout(() => window.location.reload(), 1500);
    term.focus();
  });
  window.addEventListener("resize", () => fit.fit());
})();
