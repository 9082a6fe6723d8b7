// docshift serve: live reload, stylesheet swaps and the error overlay. Injected into HTML
// responses by `docshift serve` only; built sites never contain it. Every text shown comes
// from the server and is set with textContent, never parsed as HTML.
(() => {
  "use strict";
  const script = document.currentScript;
  let generation = Number((script && script.dataset.generation) || 0);
  const SCROLL_KEY = "docshift-serve-scroll:" + location.pathname;

  // A reload keeps the reader where they were.
  try {
    const saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved !== null) {
      sessionStorage.removeItem(SCROLL_KEY);
      const y = Number(saved);
      window.scrollTo(0, y);
      window.addEventListener("load", () => window.scrollTo(0, y));
    }
  } catch (e) { /* storage blocked: plain reload */ }

  // A page about to reload handles no more events: the reloaded page gets the current
  // errors when it connects, so the overlay never flashes on the page that is leaving.
  let leaving = false;
  const reload = () => {
    leaving = true;
    try { sessionStorage.setItem(SCROLL_KEY, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  };

  // Re-request changed stylesheets with a new query string; the page is not reloaded.
  const swapCss = (files) => {
    const links = document.querySelectorAll('link[rel="stylesheet"]');
    for (const link of links) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      const path = url.pathname.replace(/^\/+/, "");
      const wanted = files.length === 0 || files.some((f) => path === f || path.endsWith("/" + f));
      if (!wanted) continue;
      url.searchParams.set("docshift", String(generation));
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener("load", () => link.remove());
      next.addEventListener("error", () => link.remove());
      link.after(next);
    }
  };

  let overlay = null;
  const hideErrors = () => {
    if (overlay) overlay.remove();
    overlay = null;
  };
  const showErrors = (errors) => {
    hideErrors();
    if (errors.length === 0) return;
    overlay = document.createElement("div");
    overlay.id = "docshift-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;background:#2b0b0e;color:#ffe9ea;border:2px solid #ff6b6b;border-radius:8px;" +
      "padding:1rem 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "box-shadow:0 8px 30px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = "docshift: " + errors.length + (errors.length === 1 ? " error" : " errors") +
      " (showing the last good build; fix the file and this disappears)";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide errors");
    close.style.cssText = "float:right;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.addEventListener("click", hideErrors);
    const list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    for (const e of errors) {
      const item = document.createElement("li");
      const where = document.createElement("code");
      let place = e.file || "(site)";
      if (e.line) place += ":" + e.line + (e.column ? ":" + e.column : "");
      where.textContent = place;
      where.style.color = "#ffb3b8";
      // With `editor` in site.yaml, the place opens the file in the writer's editor.
      let head = where;
      if (e.editor_url && !/^\s*(javascript|data|vbscript):/i.test(e.editor_url)) {
        head = document.createElement("a");
        head.href = e.editor_url;
        head.className = "docshift-open-in-editor";
        head.title = "Open in your editor";
        head.style.color = "inherit";
        head.append(where);
      }
      item.append(head, document.createTextNode(" " + e.code + ": " + e.message));
      list.append(item);
    }
    overlay.append(close, title, list);
    document.body.append(overlay);
  };

  let instance = null;
  const handlers = {
    hello: (data) => {
      // A build finished between this page's response and this connection, or the server
      // was restarted while the page was open (its generations start again).
      const restarted = instance !== null && data.instance !== instance;
      instance = data.instance;
      if (restarted || data.generation > generation) {
        reload();
        return;
      }
      // Lets tests (and curious writers) see that live reload is connected to this page's
      // build; a page that is about to reload never says so.
      window.__docshiftConnected = true;
      window.dispatchEvent(new Event("docshift:connected"));
    },
    reload: () => reload(),
    css: (data) => {
      generation = data.generation;
      swapCss(data.files);
    },
    errors: (data) => showErrors(data.errors),
  };

  // A WebSocket, not an EventSource: browsers keep at most six HTTP/1.1 connections per
  // host, and with one event stream per open tab the seventh tab would never load.
  // A page that is left closes its socket (so it can enter the back/forward cache); shown
  // again from that cache, it connects again and reloads if a build happened meanwhile.
  // A lost connection (the server restarting) is retried, less often as it goes on.
  let socket = null;
  let retry = null;
  let delay = 250;
  const connect = () => {
    retry = null;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(scheme + "//" + location.host + "/__docshift/events");
    socket = ws;
    ws.addEventListener("open", () => { delay = 250; });
    ws.addEventListener("message", (ev) => {
      if (leaving) return;
      const message = JSON.parse(ev.data);
      const handle = handlers[message.event];
      if (handle) handle(message.data);
    });
    ws.addEventListener("close", () => {
      if (socket !== ws) return; // closed on purpose
      socket = null;
      window.__docshiftConnected = false;
      retry = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    });
  };
  window.addEventListener("pagehide", () => {
    window.__docshiftConnected = false;
    if (retry !== null) clearTimeout(retry);
    retry = null;
    const ws = socket;
    socket = null;
    if (ws) ws.close();
  });
  window.addEventListener("pageshow", (ev) => {
    if (ev.persisted && !socket) connect();
  });
  connect();
})();
