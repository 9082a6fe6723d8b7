// docshift redirect page: reads the old address (the fragment, the path when the old host
// serves this page for every path, or ?from=<old URL>) and sends the browser to the new one.
// Matching follows `docshift resolve`: the exact key first, then the longest fragment
// prefix, then the longest path prefix. Every text is inserted as text, never as HTML.
(() => {
  "use strict";

  const dataElement = document.getElementById("docshift-redirect-data");
  if (!dataElement) return;
  const data = JSON.parse(dataElement.textContent);

  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s; // a malformed %-sequence: compare as written
    }
  };

  // `prefix` matches `text` when it is the whole text or ends at a separator.
  const isPrefix = (prefix, text, seps) => {
    if (text === prefix) return true;
    if (!text.startsWith(prefix)) return false;
    const rest = text.slice(prefix.length);
    return seps.some((s) => prefix.endsWith(s) || rest.startsWith(s));
  };

  // The old address: ?from=<URL> when given, else this page's own location.
  const oldAddress = () => {
    const from = new URLSearchParams(location.search).get("from");
    if (from) {
      try {
        const u = new URL(from);
        return { shown: from, fragment: decode(u.hash.slice(1)), path: u.pathname + u.search };
      } catch (e) {
        return { shown: from, fragment: "", path: "" };
      }
    }
    // A fragment names the old page; this page's own URL around it is not the old address.
    if (location.hash.length > 1) {
      const fragment = decode(location.hash.slice(1));
      return { shown: "#" + fragment, label: "Old address fragment", fragment, path: location.pathname };
    }
    return { shown: location.href, fragment: "", path: location.pathname };
  };

  const find = (old) => {
    const entries = data.entries;
    if (old.fragment) {
      const exact = entries.find((e) => e.fragment != null && decode(e.fragment) === old.fragment);
      if (exact) return { entry: exact, kind: "exact" };
      let best = null;
      for (const e of entries) {
        const f = e.fragment == null ? "" : decode(e.fragment);
        if (f && isPrefix(f, old.fragment, ["/", "?", "&"]) && (!best || f.length > best.len)) {
          best = { entry: e, kind: "fragment-prefix", len: f.length };
        }
      }
      if (best) return best;
    }
    if (old.path) {
      const paths = entries.filter((e) => e.fragment == null);
      const exact = paths.find((e) => decode(e.path) === decode(old.path));
      if (exact) return { entry: exact, kind: "exact" };
      let best = null;
      for (const e of paths) {
        const p = decode(e.path);
        if (isPrefix(p, decode(old.path), ["/", "?"]) && (!best || p.length > best.len)) {
          best = { entry: e, kind: "path-prefix", len: p.length };
        }
      }
      if (best) return best;
    }
    return null;
  };

  const isSafeTarget = (url) => typeof url === "string" && /^(https?:\/\/|\/(?!\/))/i.test(url);

  const show = (old, found) => {
    const byId = (id) => document.getElementById(id);
    const box = byId("redirect-result");
    if (!box) return;
    const note = byId("redirect-note");
    const link = byId("redirect-target");
    note.hidden = true;
    link.hidden = true;
    const ownPage = !old.fragment && !new URLSearchParams(location.search).get("from");
    box.hidden = !found && ownPage; // opened directly: the introduction says how to use it
    if (box.hidden) return;
    byId("redirect-old").textContent = old.shown;
    byId("redirect-old-label").textContent = old.label || "Old address";
    const title = byId("redirect-title");
    const message = byId("redirect-message");
    if (found && found.entry.status === "mapped" && isSafeTarget(found.entry.target_url)) {
      box.className = "alert alert-tip redirect-mapped";
      title.textContent = "Redirecting";
      message.textContent = found.entry.label + " is now at:";
      link.href = found.entry.target_url;
      link.textContent = found.entry.target_url;
      link.hidden = false;
    } else if (found) {
      box.className = "alert alert-warning redirect-unsupported";
      title.textContent = "Not available in " + data.target;
      message.textContent = found.entry.label + " (" + found.entry.source_url + ") has no equivalent in " + data.target + ".";
      if (found.entry.note) {
        note.textContent = found.entry.note;
        note.hidden = false;
      }
    } else {
      box.className = "alert alert-caution redirect-unknown";
      title.textContent = "Unknown address";
      message.textContent = "This address is not in the list of " + data.source + " pages that moved to " + data.target + ". Look it up in the list of all old addresses linked below.";
    }
  };

  // Redirect at once (before the page renders); show the result once the body exists.
  const run = () => {
    const old = oldAddress();
    const found = find(old);
    if (found && found.entry.status === "mapped" && isSafeTarget(found.entry.target_url)) {
      location.replace(found.entry.target_url);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => show(old, found), { once: true });
    } else {
      show(old, found);
    }
  };
  run();
  // Editing the fragment of an open redirect page looks the new address up.
  window.addEventListener("hashchange", run);
})();
