// docshift search: queries the static index under <base>/search/ (layout documented in
// src/search/files.rs). Fetches the manifest, then only the term shards a query needs and
// the metadata chunks of the hits it shows. No framework, no network beyond the site.
// Content text is always inserted with textContent, never as HTML.
(() => {
  "use strict";

  // ---- Tokenizer: mirrors src/search/tokenize.rs (without the stemmer: typed words are
  // matched against the surfaces each stemmed term records) ------------------------------
  const CJK = [[0x3040, 0x30ff], [0x31f0, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
    [0xf900, 0xfaff], [0xff66, 0xff9f], [0x1100, 0x11ff], [0x3130, 0x318f],
    [0xac00, 0xd7af], [0x20000, 0x2ffff]];
  const isCjk = (ch) => {
    const cp = ch.codePointAt(0);
    return CJK.some(([a, b]) => cp >= a && cp <= b);
  };
  const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  const isWordChar = (ch) => ch !== undefined && WORD_CHAR.test(ch);
  const isJoiner = (ch) => ch === "-" || ch === "_" || ch === ".";

  const normalizeWord = (w) => {
    let s = w.toLowerCase().replace(/[\u2019\u2018\u02bc]/g, "'").replace(/^'+|'+$/g, "");
    if (s.endsWith("'s")) s = s.slice(0, -2);
    return s.replace(/'/g, "");
  };

  // Word characters joined by single -, _ or . (api-version); at least one joiner.
  const compounds = (piece) => {
    const chars = Array.from(piece);
    const out = [];
    let start = -1, end = 0, joined = false, prevWord = false;
    const flush = () => {
      if (start >= 0 && joined) out.push({ text: chars.slice(start, end).join(""), end });
      start = -1;
      joined = false;
    };
    chars.forEach((c, i) => {
      if (isWordChar(c)) {
        if (start < 0) start = i;
        end = i + 1;
        prevWord = true;
        return;
      }
      if (isJoiner(c) && prevWord && isWordChar(chars[i + 1])) joined = true;
      else flush();
      prevWord = false;
    });
    flush();
    return out.map((c) => ({ text: c.text, atEnd: c.end === chars.length }));
  };

  const segmenter = typeof Intl === "object" && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
  const unicodeWords = (piece) => segmenter
    ? Array.from(segmenter.segment(piece)).filter((s) => s.isWordLike).map((s) => s.segment)
    : piece.match(/[\p{L}\p{N}\p{M}_]+(?:['\u2019.][\p{L}\p{N}\p{M}_]+)*/gu) || [];

  const camelParts = (word) => {
    const chars = Array.from(word);
    const cuts = [0];
    const lower = (c) => c !== undefined && c !== c.toUpperCase() && c === c.toLowerCase();
    const upper = (c) => c !== undefined && c !== c.toLowerCase() && c === c.toUpperCase();
    for (let i = 1; i < chars.length; i++) {
      const p = chars[i - 1], c = chars[i];
      if ((lower(p) && upper(c)) || (upper(p) && upper(c) && lower(chars[i + 1]))) cuts.push(i);
    }
    if (cuts.length === 1) return [word];
    cuts.push(chars.length);
    return cuts.slice(1).map((e, k) => chars.slice(cuts[k], e).join(""));
  };

  // Query text → [{ text, prefix, cjk }]. The word being typed (no trailing space) is a
  // prefix; CJK runs of two or more characters look up their bigrams.
  const queryTokens = (query) => {
    const out = [];
    const seen = new Set();
    const add = (text, prefix, cjk) => {
      if (!text || Array.from(text).length > 64) return;
      const key = text + (prefix ? "*" : "");
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ text, prefix, cjk });
    };
    const typing = !/\s$/.test(query);
    const runs = Array.from(query).reduce((acc, ch) => {
      const cjk = isCjk(ch);
      const last = acc[acc.length - 1];
      if (last && last.cjk === cjk) last.text += ch;
      else acc.push({ cjk, text: ch });
      return acc;
    }, []);
    runs.forEach((run, r) => {
      if (run.cjk) {
        const cs = Array.from(run.text.toLowerCase());
        if (cs.length === 1) add(cs[0], false, true);
        for (let i = 0; i + 1 < cs.length; i++) add(cs[i] + cs[i + 1], false, true);
        return;
      }
      const pieces = run.text.split(/\s+/).filter(Boolean);
      pieces.forEach((piece, k) => {
        const last = typing && r === runs.length - 1 && k === pieces.length - 1;
        compounds(piece).forEach((c) => add(normalizeWord(c.text), last && c.atEnd, false));
        const words = unicodeWords(piece).flatMap((w) => w.split(/[_.]/)).filter(Boolean);
        words.forEach((w, i) => {
          const end = last && i === words.length - 1 && !/[^\p{L}\p{N}\p{M}'\u2019]$/u.test(piece);
          add(normalizeWord(w), end, false);
          const parts = camelParts(w);
          if (parts.length > 1) parts.forEach((p, j) => add(normalizeWord(p), end && j === parts.length - 1, false));
        });
      });
    });
    return out.filter((t) => t.text);
  };

  // ---- Index access -------------------------------------------------------------------
  // Compares by code point, which is the order the index is sorted in (UTF-8 byte order).
  const cmp = (a, b) => {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  };

  const decodeShard = (buffer) => {
    const bytes = new Uint8Array(buffer);
    const utf8 = new TextDecoder();
    let pos = 0;
    const varint = () => {
      let v = 0, mul = 1, b;
      do { b = bytes[pos++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      return v;
    };
    const frontCoded = (base) => {
      const shared = varint(), len = varint();
      const out = new Uint8Array(shared + len);
      out.set(base.subarray(0, shared));
      out.set(bytes.subarray(pos, pos + len), shared);
      pos += len;
      return out;
    };
    const entries = [];
    let prev = new Uint8Array(0);
    for (let count = varint(); count > 0; count--) {
      const termBytes = frontCoded(prev);
      const surfaces = [];
      for (let n = varint(); n > 0; n--) surfaces.push(utf8.decode(frontCoded(termBytes)));
      const df = varint(), scale = varint(), n = varint(), start = pos;
      for (let i = 0; i < n; i++) { while (bytes[pos++] & 0x80); while (bytes[pos++] & 0x80); pos++; }
      entries.push({ term: utf8.decode(termBytes), surfaces, df, scale, n, start, bytes });
      prev = termBytes;
    }
    return entries;
  };

  // [document key, weighted impact] per posting; a document's key is page × span + its
  // number within the page, so keys sort in document order.
  const postings = (e, span) => {
    const out = [];
    let pos = e.start, page = 0;
    const varint = () => {
      let v = 0, mul = 1, b;
      do { b = e.bytes[pos++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      return v;
    };
    for (let i = 0; i < e.n; i++) {
      page += varint();
      const doc = varint();
      out.push([page * span + doc, e.bytes[pos++] * e.scale]);
    }
    return out;
  };

  const PREFIX_SHARDS = 3;   // most shards one typed prefix may pull in
  const EXPANSIONS = 12;     // most completions of a prefix that are scored
  const SUFFIXES = ["ations", "ation", "ments", "ment", "ings", "ing", "edly", "ed", "ies",
    "es", "ers", "er", "ions", "ion", "ly", "ness", "s"];

  // Words the corpus never contains may still share a stem with ones it does.
  const stemGuesses = (w) => {
    const out = [];
    SUFFIXES.forEach((s) => {
      if (w.length - s.length < 3 || !w.endsWith(s)) return;
      const c = w.slice(0, -s.length);
      out.push(c, c + "e", c.replace(/y$/, "i"));
    });
    return [...new Set(out)].filter((c) => c !== w);
  };

  // A metadata chunk: gzip-compressed JSON, inflated here. A host that serves `.gz` files
  // with `Content-Encoding: gzip` has the browser inflate it already: no gzip magic bytes.
  const inflateJson = async (buf) => {
    const bytes = new Uint8Array(buf);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  };

  // `fetcher(path, kind)` resolves to an ArrayBuffer ("bin") or parsed JSON ("json");
  // paths are relative to the search folder.
  const createEngine = (fetcher) => {
    let manifest = null;
    const shards = new Map();
    const chunks = new Map();
    const version = () => "?v=" + manifest.id;
    const loadManifest = () => manifest ? Promise.resolve(manifest)
      : (manifest = fetcher("manifest.json", "json").then((m) => (manifest = m)));
    const shardOf = (term) => {
      const seps = manifest.seps;
      let lo = 0, hi = seps.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(seps[mid], term) <= 0) lo = mid + 1; else hi = mid; }
      return Math.max(0, lo - 1);
    };
    const loadShard = (k) => {
      if (!shards.has(k)) shards.set(k, fetcher("t/" + k + ".bin" + version(), "bin").then(decodeShard));
      return shards.get(k);
    };
    const loadChunk = (c) => {
      if (!chunks.has(c)) chunks.set(c, fetcher("d/" + c + ".json.gz" + version(), "bin").then(inflateJson));
      return chunks.get(c);
    };
    // Where a document's metadata is: chunk name, page within the chunk, doc within it.
    const locate = (d) => {
      const [pages, docs] = manifest.chunk;
      const page = Math.floor(d / manifest.span), doc = d % manifest.span;
      return { chunk: Math.floor(page / pages) + "-" + Math.floor(doc / docs), page: page % pages, doc: doc % docs };
    };
    const shardsFor = (t) => {
      const first = shardOf(t.text);
      if (!t.prefix) return [first];
      const last = Math.min(shardOf(t.text + "\u{10ffff}"), first + PREFIX_SHARDS - 1);
      const out = [];
      for (let k = first; k <= last; k++) out.push(k);
      return out;
    };
    const entriesOf = async (ks) => (await Promise.all(ks.map(loadShard))).flat();

    // Best weighted impact per document for one query token, plus what to highlight.
    const matchToken = async (t) => {
      const entries = await entriesOf(shardsFor(t));
      const exact = entries.filter((e) => e.term === t.text || e.surfaces.includes(t.text));
      let matches = exact.map((e) => ({ e, w: 1 }));
      if (t.prefix && Array.from(t.text).length >= 2) {
        const longer = entries
          .filter((e) => !exact.includes(e) && [e.term, ...e.surfaces].some((s) => s.startsWith(t.text)))
          .sort((a, b) => b.df - a.df || cmp(a.term, b.term))
          .slice(0, EXPANSIONS);
        longer.forEach((e) => {
          const len = Math.min(...[e.term, ...e.surfaces].filter((s) => s.startsWith(t.text)).map((s) => s.length));
          matches.push({ e, w: 0.5 + 0.4 * t.text.length / len });
        });
      }
      if (!exact.length && !t.cjk) {
        const guesses = stemGuesses(t.text);
        const more = await entriesOf([...new Set(guesses.map(shardOf))]);
        more.filter((e) => guesses.includes(e.term)).forEach((e) => matches.push({ e, w: 0.8 }));
      }
      const scores = new Map();
      matches.forEach(({ e, w }) => postings(e, manifest.span).forEach(([d, impact]) => {
        scores.set(d, Math.max(scores.get(d) || 0, w * impact));
      }));
      const words = new Set();
      matches.forEach(({ e }) => [e.term, ...e.surfaces].forEach((s) => words.add(s)));
      return { scores, words };
    };

    // Resolves to { results, total }: results are the `limit` best documents, each with
    // its metadata and the words to highlight.
    const search = async (query, limit = 10) => {
      const tokens = queryTokens(query);
      if (!tokens.length) return { results: [], total: 0, tokens };
      await loadManifest();
      const matched = await Promise.all(tokens.map(matchToken));
      const docs = new Map();
      matched.forEach(({ scores }) => scores.forEach((s, d) => {
        const cur = docs.get(d) || { count: 0, score: 0 };
        cur.count += 1;
        cur.score += s;
        docs.set(d, cur);
      }));
      const ranked = [...docs].sort((a, b) => b[1].count - a[1].count || b[1].score - a[1].score || a[0] - b[0]);
      const top = ranked.slice(0, limit);
      const loaded = new Map();
      await Promise.all([...new Set(top.map(([d]) => locate(d).chunk))].map(async (c) => loaded.set(c, await loadChunk(c))));
      const highlight = { words: new Set(), prefixes: [], cjk: [] };
      tokens.forEach((t, i) => {
        if (t.cjk) highlight.cjk.push(t.text);
        else if (t.prefix) highlight.prefixes.push(t.text);
        matched[i].words.forEach((w) => highlight.words.add(w));
      });
      const results = top.map(([d, s]) => {
        const at = locate(d);
        const page = loaded.get(at.chunk).pages[at.page];
        const doc = page.docs[at.doc];
        const url = page.url + (doc.a ? "#" + doc.a : "");
        return {
          doc: d, score: s.score, matched: s.count, page: page.title, heading: doc.h || "",
          url, href: (doc.k === "map" && safeHref(doc.n)) || url, text: doc.t || "", kind: doc.k || "",
          source: doc.s || "", target: doc.n || "",
        };
      });
      return { results, total: ranked.length, tokens, highlight };
    };
    return { search, loadManifest, queryTokens };
  };

  const safeHref = (u) => (u && (/^https?:\/\//i.test(u) || /^\/(?!\/)/.test(u)) ? u : "");

  // ---- Excerpts: [{ text, mark }] around the first highlighted word ---------------------
  const WORDS = /[\p{L}\p{N}\p{M}_'\u2019]+/gu;
  const markRanges = (text, h) => {
    const ranges = [];
    for (const m of text.matchAll(WORDS)) {
      const w = normalizeWord(m[0]);
      const hit = h.words.has(w) || h.prefixes.some((p) => w.startsWith(p))
        || [...h.words].some((s) => s.length >= 4 && w.startsWith(s));
      if (hit) ranges.push([m.index, m.index + m[0].length]);
    }
    const lower = text.toLowerCase();
    h.cjk.forEach((c) => {
      for (let i = lower.indexOf(c); i >= 0; i = lower.indexOf(c, i + 1)) ranges.push([i, i + c.length]);
    });
    ranges.sort((a, b) => a[0] - b[0]);
    return ranges.reduce((acc, r) => {
      const last = acc[acc.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else acc.push(r.slice());
      return acc;
    }, []);
  };

  const excerpt = (text, h, width = 180) => {
    const ranges = markRanges(text, h);
    let start = 0;
    if (ranges.length && width < text.length && ranges[0][0] > width / 3) {
      start = text.lastIndexOf(" ", ranges[0][0] - width / 3) + 1;
    }
    let end = Math.min(text.length, start + width);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start + width / 2) end = space;
    }
    const parts = [];
    if (start > 0) parts.push({ text: "…", mark: false });
    let at = start;
    ranges.filter((r) => r[1] > start && r[0] < end).forEach(([a, b]) => {
      a = Math.max(a, start);
      b = Math.min(b, end);
      if (a > at) parts.push({ text: text.slice(at, a), mark: false });
      parts.push({ text: text.slice(a, b), mark: true });
      at = b;
    });
    if (end > at) parts.push({ text: text.slice(at, end), mark: false });
    if (end < text.length) parts.push({ text: "…", mark: false });
    return parts;
  };

  if (typeof module === "object" && module.exports) {
    module.exports = { createEngine, queryTokens, excerpt, decodeShard, normalizeWord, compounds };
    return;
  }
  if (typeof document === "undefined") return;

  // ---- User interface -----------------------------------------------------------------
  const box = document.querySelector(".site-search");
  if (!box) return;
  // The page holds an empty, hidden box: the controls are written here rather than into
  // every page, since without JavaScript there is nothing to query with.
  if (!box.querySelector(".search-input")) {
    box.innerHTML =
      '<input type="search" class="search-input" placeholder="Search" aria-label="Search the documentation" autocomplete="off" spellcheck="false" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="search-results" aria-keyshortcuts="/ Control+K">' +
      '<kbd class="search-key" aria-hidden="true">/</kbd>' +
      '<div class="search-panel" hidden><div class="search-results" id="search-results" role="listbox" aria-label="Search results"></div><p class="search-empty" role="status" hidden></p></div>';
  }
  const input = box.querySelector(".search-input");
  const wrap = box.querySelector(".search-panel");
  const panel = box.querySelector(".search-results");
  const status = box.querySelector(".search-empty");
  const base = box.getAttribute("data-search-base") || "/search/";
  const engine = createEngine((path, kind) => fetch(base + path).then((r) => {
    if (!r.ok) throw new Error(r.status + " " + path);
    return kind === "json" ? r.json() : r.arrayBuffer();
  }));
  box.hidden = false;
  let active = -1, seq = 0, timer = 0;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const options = () => Array.from(panel.querySelectorAll(".search-result"));
  const setActive = (i) => {
    const all = options();
    active = all.length ? (i + all.length) % all.length : -1;
    all.forEach((o, k) => o.setAttribute("aria-selected", String(k === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const open = (yes) => {
    wrap.hidden = !yes;
    input.setAttribute("aria-expanded", String(yes));
    if (!yes) setActive(-1);
  };

  const KINDS = { map: "Page moved", api: "API change" };
  // Appends `text` to `node` as text nodes and <mark> elements (never as HTML).
  const marked = (node, text, h, width) => {
    excerpt(text, h, width).forEach((p) => node.appendChild(p.mark ? el("mark", "", p.text) : document.createTextNode(p.text)));
    return node;
  };
  const renderResult = (r, i, h) => {
    const a = el("a", "search-result" + (r.kind ? " search-result-" + r.kind : ""));
    a.href = r.href;
    a.id = "search-result-" + i;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    const title = el("span", "search-result-title");
    if (r.kind) title.appendChild(el("span", "search-result-kind", KINDS[r.kind] || r.kind));
    title.appendChild(el("span", "search-result-page", r.kind ? r.heading : r.page));
    if (!r.kind && r.heading) {
      title.appendChild(el("span", "search-result-sep", " › "));
      title.appendChild(el("span", "search-result-section", r.heading));
    }
    a.appendChild(title);
    if (r.kind === "map") {
      const urls = el("span", "search-result-urls");
      if (r.source) urls.appendChild(marked(el("span", "search-result-old"), r.source, h, Infinity));
      urls.appendChild(el("span", "search-result-arrow", " → "));
      urls.appendChild(marked(el("span", "search-result-new"), r.target, h, Infinity));
      a.appendChild(urls);
    }
    if (r.text) a.appendChild(marked(el("span", "search-result-excerpt"), r.text, h, 180));
    if (r.kind) a.appendChild(el("span", "search-result-context", r.page));
    return a;
  };

  const show = (query, found) => {
    panel.textContent = "";
    panel.dataset.query = query; // which query the list shows (tests and styling hooks)
    found.results.forEach((r, i) => panel.appendChild(renderResult(r, i, found.highlight)));
    status.hidden = found.results.length > 0;
    status.textContent = found.results.length ? "" : "No results for “" + query.trim() + "”";
    open(true);
    setActive(found.results.length ? 0 : -1);
  };

  const run = () => {
    const query = input.value;
    const mine = ++seq;
    if (!query.trim()) { panel.textContent = ""; open(false); return; }
    engine.search(query, 10).then((found) => { if (mine === seq) show(query, found); }, () => {
      if (mine !== seq) return;
      panel.textContent = "";
      status.hidden = false;
      status.textContent = "Search is unavailable.";
      open(true);
    });
  };

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 80); });
  input.addEventListener("focus", () => {
    engine.loadManifest().catch(() => {});
    if ((panel.childElementCount || !status.hidden) && input.value.trim()) open(true);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (wrap.hidden && input.value.trim()) open(true);
      setActive(active + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter") {
      const target = options()[active >= 0 ? active : 0];
      if (target) { ev.preventDefault(); target.click(); }
    } else if (ev.key === "Escape") {
      ev.stopPropagation();
      if (!wrap.hidden) open(false);
      else { input.value = ""; input.blur(); }
    }
  });
  wrap.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep focus in the input
  document.addEventListener("click", (ev) => { if (!box.contains(ev.target)) open(false); });
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    const editing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((ev.key === "k" || ev.key === "K") && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      input.focus();
      input.select();
    } else if (ev.key === "/" && !editing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      input.focus();
    }
  });
})();
