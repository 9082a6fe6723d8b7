// docshift default theme: progressive enhancement only. Every page works
// without this file (OS colour scheme, <details> nav, checkbox menu).
(() => {
  "use strict";

  const root = document.documentElement;
  // Lets the CSS reveal controls that need script (copy buttons).
  root.classList.add("has-js");

  // ---- Theme toggle: auto (follow OS) -> light -> dark -> auto ------------
  // The inline script in <head> applies the stored value before paint; this
  // only handles clicks and keeps the button label in sync.
  const THEME_KEY = "docshift-theme";
  const MODES = ["auto", "light", "dark"];
  const LABELS = { auto: "Auto", light: "Light", dark: "Dark" };
  const describe = (mode) => (mode === "auto" ? "follow system" : mode);

  const readMode = () => {
    try {
      const v = localStorage.getItem(THEME_KEY);
      return v === "light" || v === "dark" ? v : "auto";
    } catch (e) {
      return "auto"; // storage can be blocked (privacy mode, file://)
    }
  };

  const toggle = document.querySelector(".theme-toggle");

  const showMode = (mode) => {
    if (mode === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", mode);
    if (!toggle) return;
    const next = MODES[(MODES.indexOf(mode) + 1) % MODES.length];
    toggle.dataset.mode = mode;
    toggle.querySelector(".theme-label").textContent = LABELS[mode];
    // The accessible name must contain the visible label (WCAG 2.5.3, "label in name").
    const name = mode === "auto" ? "Auto (follow system)" : LABELS[mode];
    toggle.setAttribute("aria-label", "Color theme: " + name);
    toggle.title = "Color theme: " + describe(mode) + " (click for " + describe(next) + ")";
  };

  if (toggle) {
    showMode(readMode());
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const mode = MODES[(MODES.indexOf(readMode()) + 1) % MODES.length];
      try {
        if (mode === "auto") localStorage.removeItem(THEME_KEY);
        else localStorage.setItem(THEME_KEY, mode);
      } catch (e) { /* still switch for this page view */ }
      showMode(mode);
    });
    // Keep other open tabs in step with the choice.
    window.addEventListener("storage", (ev) => {
      if (ev.key === THEME_KEY) showMode(readMode());
    });
  }

  // ---- Copy buttons on code blocks ---------------------------------------
  // A polite live region so screen readers hear the result of the copy.
  const status = Object.assign(document.createElement("div"), { className: "visually-hidden" });
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  // Fallback for plain-http sites (no navigator.clipboard) or a refused write.
  const legacyCopy = (text) => {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.cssText = "position:fixed;top:0;opacity:0";
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { /* unsupported */ }
    ta.remove();
    return ok;
  };

  const copyText = (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(() => {
        if (!legacyCopy(text)) throw new Error("copy failed");
      });
    }
    return legacyCopy(text) ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  };

  document.addEventListener("click", (ev) => {
    const button = ev.target.closest(".copy-button");
    if (!button) return;
    const pre = button.parentElement.querySelector("pre");
    if (!pre) return;
    const text = pre.textContent.replace(/\n$/, ""); // drop the block's trailing newline
    const done = (ok) => {
      button.textContent = ok ? "Copied" : "Copy failed";
      button.classList.toggle("is-copied", ok);
      status.textContent = ok ? "Code copied to clipboard" : "Could not copy code";
      button.focus(); // the textarea fallback steals focus
      clearTimeout(button._docshiftTimer);
      button._docshiftTimer = setTimeout(() => {
        button.textContent = "Copy";
        button.classList.remove("is-copied");
        status.textContent = "";
      }, 2000);
    };
    copyText(text).then(() => done(true), () => done(false));
  });

  // ---- Mapping explorer: filter rows, copy URLs ---------------------------
  // The table is complete without script; this only adds the filter and copy buttons.
  document.querySelectorAll(".mapping-explorer").forEach((explorer) => {
    const panel = explorer.querySelector(".mapping-filter");
    const text = explorer.querySelector(".mapping-filter-text");
    const status = explorer.querySelector(".mapping-filter-status");
    const count = explorer.querySelector(".mapping-filter-count");
    const rows = [...explorer.querySelectorAll(".mapping-table tbody tr")];
    if (!panel || !text || !status || !count) return;
    const apply = () => {
      const q = text.value.trim().toLowerCase();
      const s = status.value;
      let shown = 0;
      rows.forEach((row) => {
        const ok = (!s || row.dataset.status === s) && (!q || row.textContent.toLowerCase().includes(q));
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " entries shown";
    };
    text.addEventListener("input", apply);
    status.addEventListener("change", apply);
    panel.hidden = false;
    explorer.querySelectorAll(".copy-url").forEach((b) => { b.hidden = false; });
    apply();
  });

  document.addEventListener("click", (ev) => {
    const button = ev.target.closest(".copy-url");
    if (!button) return;
    const done = (ok) => {
      button.textContent = ok ? "Copied" : "Copy failed";
      status.textContent = ok ? "URL copied to clipboard" : "Could not copy the URL";
      clearTimeout(button._docshiftTimer);
      button._docshiftTimer = setTimeout(() => {
        button.textContent = "Copy";
        status.textContent = "";
      }, 2000);
    };
    copyText(button.dataset.copy || "").then(() => done(true), () => done(false));
  });

  // ---- DocFX tabs -----------------------------------------------------------
  // Without script every panel shows under its title; here each group becomes a tab set.
  // As in DocFX, the page keeps one choice: picking an id selects it in every group that
  // has it, a dependent panel (data-condition) follows what the other groups show, and
  // ?tabs=a,b (or #tab/a) in the URL picks tabs on load.
  const groups = [...document.querySelectorAll("[data-tab-group]")];
  const tabsOf = (g) => [...g.querySelectorAll(':scope > [role="tablist"] > [role="tab"]')];
  const idsOf = (tab) => tab.dataset.tab.split("+");
  // Chosen ids, most recent first; each group's first tab comes last, as the fallback.
  let chosen = (new URLSearchParams(location.search).get("tabs") || "").split(/[ ,+]/);
  // A malformed escape (`#100%`) must not stop the rest of this script.
  const decode = (s) => { try { return decodeURIComponent(s); } catch (e) { return s; } };
  const hash = decode(location.hash);
  if (hash.startsWith("#tab/")) chosen.unshift(...hash.slice(5).split("/")[0].split("+"));
  groups.forEach((g) => tabsOf(g).slice(0, 1).forEach((t) => chosen.push(...idsOf(t))));
  chosen = chosen.filter(Boolean);
  const rank = (ids) => Math.min(...ids.map((id) => chosen.indexOf(id)).filter((i) => i >= 0), Infinity);

  const showTabs = () => groups.forEach((g) => {
    const tabs = tabsOf(g);
    const pick = tabs.reduce((best, t) => (rank(idsOf(t)) < rank(idsOf(best)) ? t : best), tabs[0]);
    tabs.forEach((t) => {
      t.setAttribute("aria-selected", String(t === pick));
      t.tabIndex = t === pick ? 0 : -1;
    });
    const panels = [...g.querySelectorAll(':scope > [role="tabpanel"]')];
    const own = panels.filter((p) => pick && p.dataset.tab === pick.dataset.tab);
    const cond = (p) => rank(p.dataset.condition ? [p.dataset.condition] : []);
    const show = own.reduce((best, p) => (cond(p) < cond(best) ? p : best), own[0]);
    panels.forEach((p) => { p.hidden = p !== show; });
  });

  const choose = (tab) => {
    chosen = [...idsOf(tab), ...chosen.filter((id) => !idsOf(tab).includes(id))];
    showTabs();
    // The URL names every group's tab, this one first, so that a copied link shows the same.
    const ids = [tab.dataset.tab];
    groups.forEach((g) => tabsOf(g).forEach((t) => {
      if (t.getAttribute("aria-selected") === "true" && !ids.includes(t.dataset.tab)) ids.push(t.dataset.tab);
    }));
    const query = location.search.slice(1).split("&").filter((p) => p && !p.startsWith("tabs="));
    query.push("tabs=" + ids.map(encodeURIComponent).join(","));
    const keep = location.hash.startsWith("#tab/") ? "" : location.hash;
    history.replaceState(history.state, "", "?" + query.join("&") + keep);
  };

  if (groups.length) {
    showTabs();
    groups.forEach((g) => g.classList.add("is-tabbed"));
    document.addEventListener("click", (ev) => {
      const tab = ev.target.closest('[data-tab-group] > [role="tablist"] > [role="tab"]');
      if (tab) choose(tab);
    });
    document.addEventListener("keydown", (ev) => {
      const tab = ev.target.closest('[data-tab-group] > [role="tablist"] > [role="tab"]');
      if (!tab || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const tabs = tabsOf(tab.parentElement.parentElement);
      const at = tabs.indexOf(tab);
      const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length];
      choose(next);
      next.focus();
    });
    // A link to something inside a hidden panel (a heading in "On this page") shows that
    // panel's tab. Clicks are seen too: following the URL's own fragment changes no hash.
    const reveal = (fragment) => {
      const target = fragment.length > 1 && document.getElementById(decode(fragment.slice(1)));
      const panel = target && target.closest('[role="tabpanel"][hidden]');
      const tab = panel && document.getElementById(panel.getAttribute("aria-labelledby"));
      if (!tab) return;
      // A dependent panel shows when its condition is chosen.
      const cond = panel.dataset.condition;
      if (cond) chosen = [cond, ...chosen.filter((id) => id !== cond)];
      choose(tab);
      target.scrollIntoView();
    };
    window.addEventListener("hashchange", () => reveal(location.hash));
    document.addEventListener("click", (ev) => {
      const link = ev.target.closest('a[href^="#"]');
      if (link) reveal(link.getAttribute("href"));
    });
    reveal(location.hash);
  }

  // ---- Small-screen menu --------------------------------------------------
  // Escape closes the checkbox-driven menu and returns focus to its toggle.
  const menu = document.getElementById("nav-toggle");
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && menu && menu.checked) {
      menu.checked = false;
      menu.focus();
    }
  });

  // ---- Sidebar --------------------------------------------------------------
  // The tree comes from the site's shared nav-<hash>.js as nested [title, url,
  // children?, expanded?] arrays. Only open branches are built: a closed one is
  // built the first time it is opened, so a 10,000-page tree costs little per page.
  const siteNav = document.querySelector(".site-nav[data-current]");
  const navData = window.docshiftNav;
  if (siteNav && Array.isArray(navData)) {
    const here = siteNav.dataset.current;
    // Index path to the first entry that links to this page (iterative: no deep recursion).
    const pathTo = (items) => {
      const stack = [[items, 0, []]];
      while (stack.length) {
        const [list, from, trail] = stack.pop();
        for (let i = from; i < list.length; i++) {
          if (here && list[i][1] === here) return trail.concat(i);
          if (Array.isArray(list[i][2]) && list[i][2].length) {
            stack.push([list, i + 1, trail]);
            stack.push([list[i][2], 0, trail.concat(i)]);
            break;
          }
        }
      }
      return null;
    };
    const build = (items, depth, path) => {
      const ul = document.createElement("ul");
      ul.className = "nav-list nav-depth-" + depth;
      items.forEach((item, i) => {
        const [title, url, children, expanded] = item;
        const onPath = !!path && path[depth] === i;
        const active = onPath && depth === path.length - 1;
        const li = document.createElement("li");
        li.className = "nav-item";
        const link = document.createElement(url ? "a" : "span");
        link.className = url ? "nav-link" : "nav-link nav-label";
        if (url) link.setAttribute("href", url);
        link.textContent = title;
        if (active) {
          li.classList.add("is-active");
          link.setAttribute("aria-current", "page");
        }
        li.append(link);
        if (Array.isArray(children) && children.length) {
          li.classList.add("has-children");
          if (onPath && !active) li.classList.add("is-open");
          const details = document.createElement("details");
          const summary = document.createElement("summary");
          summary.className = "nav-toggle-section";
          const label = document.createElement("span");
          label.className = "visually-hidden";
          label.textContent = "Show or hide pages in " + title;
          summary.append(label);
          details.append(summary);
          const fill = () => {
            if (details.childElementCount < 2) details.append(build(children, depth + 1, onPath ? path : null));
          };
          if (onPath || expanded === 1) {
            details.open = true;
            fill();
          } else {
            details.addEventListener("toggle", () => details.open && fill());
          }
          li.append(details);
        }
        ul.append(li);
      });
      return ul;
    };
    siteNav.replaceChildren(build(navData, 0, pathTo(navData)));
  }

  // Long navs: scroll the sidebar so the current page's link is visible.
  const sidebar = document.querySelector(".sidebar");
  const current = sidebar && sidebar.querySelector('[aria-current="page"]');
  if (current) {
    const s = sidebar.getBoundingClientRect(), c = current.getBoundingClientRect();
    if (s.height && (c.bottom > s.bottom || c.top < s.top)) {
      sidebar.scrollTop += c.top - s.top - s.height / 3;
    }
  }

  // ---- "On this page" -----------------------------------------------------
  const toc = document.querySelector(".toc");
  if (!toc) return;
  // Above the article (narrow layouts) the open box would push content down.
  if (window.matchMedia("(max-width: 62.5rem)").matches) toc.open = false;

  // Highlight the first heading in view; keep the last one while between headings.
  if (!("IntersectionObserver" in window)) return;
  const links = new Map();
  toc.querySelectorAll('a[href^="#"]').forEach((a) => {
    const target = document.getElementById(a.getAttribute("href").slice(1)); // raw id, no URL decoding
    if (target) links.set(target, a);
  });
  const visible = new Set();
  const observer = new IntersectionObserver((entries) => {
    entries.forEach((e) => (e.isIntersecting ? visible.add(e.target) : visible.delete(e.target)));
    const heading = [...links.keys()].find((h) => visible.has(h));
    if (!heading) return;
    links.forEach((a) => a.removeAttribute("aria-current"));
    links.get(heading).setAttribute("aria-current", "location");
  }, { rootMargin: "-56px 0px -55% 0px" });
  links.forEach((_, heading) => observer.observe(heading));
})();
