// End-to-end check of `docshift serve` in headless Chromium, driven over the DevTools
// protocol on a pipe (no WebSocket library needed). Run by tests/browser_serve.rs:
//   node serve_e2e.js <chromium> <site URL> <site root>
// Prints one line per step; exits 1 on the first step that fails.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const [chromiumPath, url, root] = process.argv.slice(2);
const chrome = spawn(chromiumPath, ["--headless", "--no-sandbox", "--disable-gpu",
  "--remote-debugging-pipe", "--user-data-dir=" + path.join(root, ".chromium"), "about:blank"],
  { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
const toChrome = chrome.stdio[3];
const fromChrome = chrome.stdio[4];
const waiting = new Map();
let nextId = 0;
let buffer = "";
fromChrome.on("data", (data) => {
  buffer += data.toString();
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && waiting.has(message.id)) {
      waiting.get(message.id)(message);
      waiting.delete(message.id);
    }
  }
});
const send = (method, params, sessionId) => new Promise((resolve) => {
  const message = { id: ++nextId, method, params: params || {} };
  if (sessionId) message.sessionId = sessionId;
  waiting.set(message.id, resolve);
  toChrome.write(JSON.stringify(message) + "\0");
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (why) => { console.log("FAIL: " + why); chrome.kill(); process.exit(1); };
const write = (rel, text) => fs.writeFileSync(path.join(root, rel), text);

(async () => {
  const created = await send("Target.createTarget", { url });
  const attached = await send("Target.attachToTarget", { targetId: created.result.targetId, flatten: true });
  const sessionId = attached.result.sessionId;
  const evaluate = async (expression) => {
    const reply = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
    return reply.result && reply.result.result ? reply.result.result.value : undefined;
  };
  const waitFor = async (expression, what) => {
    for (let i = 0; i < 300; i++) {
      try { if (await evaluate(expression)) { console.log("ok: " + what); return; } } catch (e) { /* navigating */ }
      await sleep(100);
    }
    fail(what + " (after 30 s)");
  };

  await waitFor("document.readyState === 'complete' && document.body.innerText.includes('Original text.')", "the page loads");
  await sleep(500); // the live-reload stream connects
  await evaluate("window.__docshiftMarker = 42");

  write("content/index.md", "---\ntitle: Home\n---\n\n# Home\n\nEdited in the editor.\n");
  await waitFor("document.body.innerText.includes('Edited in the editor.')", "an edit appears without a manual reload");

  write("content/index.md", "---\ntitle: [unclosed\n---\n\n# Home\n");
  await waitFor("(document.getElementById('docshift-error-overlay') || {}).textContent?.includes('index.md:3')",
    "broken front matter shows the overlay with file:line");
  if (!(await evaluate("document.body.innerText.includes('Edited in the editor.')"))) fail("the last good build stays under the overlay");

  write("content/index.md", "---\ntitle: Home\n---\n\n# Home\n\nFixed again.\n");
  await waitFor("!document.getElementById('docshift-error-overlay') && document.body.innerText.includes('Fixed again.')",
    "fixing the file removes the overlay");

  await sleep(500);
  await evaluate("window.__docshiftMarker = 42");
  write("static/docshift.css", "body { color: rgb(200, 0, 0); }\n");
  await waitFor("getComputedStyle(document.body).color === 'rgb(200, 0, 0)'", "a stylesheet edit changes the style");
  if ((await evaluate("window.__docshiftMarker")) !== 42) fail("the stylesheet was swapped without reloading the page");
  console.log("ok: no reload for a stylesheet edit");
  chrome.kill();
  process.exit(0);
})().catch((e) => fail(String(e)));
