// Runs queries through the real search engine of static/search.js against a built site's
// index on disk, reporting the results and the bytes each query fetches.
//
//   node scripts/search-query.mjs <site-folder> [--json] [--type] <query>...
//
// Every query starts from a cold engine (nothing cached), so the bytes are what a visitor's
// first query transfers: the manifest, the term shards the query needs and the metadata
// chunks of the hits shown. --type simulates typing the query one character at a time
// (every prefix is searched in turn on one engine, as the search box does) and reports the
// total. --json prints one JSON document instead of text.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { createEngine } = require(join(here, "..", "static", "search.js"));

const args = process.argv.slice(2);
const site = args.shift();
const json = args.includes("--json");
const typing = args.includes("--type");
const queries = args.filter((a) => !a.startsWith("--"));
if (!site || !queries.length) {
  console.error("usage: node scripts/search-query.mjs <site-folder> [--json] [--type] <query>...");
  process.exit(2);
}

const engineFor = (log) => createEngine(async (path, kind) => {
  const bytes = readFileSync(join(site, "search", path.replace(/\?.*$/, "")));
  log.push({ path, bytes: bytes.length });
  return kind === "json" ? JSON.parse(bytes.toString("utf8")) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
});

const report = [];
for (const query of queries) {
  const log = [];
  const engine = engineFor(log);
  let found;
  if (typing) {
    const chars = Array.from(query);
    for (let i = 1; i <= chars.length; i++) found = await engine.search(chars.slice(0, i).join(""));
  } else {
    found = await engine.search(query);
  }
  const bytes = log.reduce((s, f) => s + f.bytes, 0);
  report.push({ query, bytes, files: log, total: found.total, results: found.results });
}

if (json) {
  console.log(JSON.stringify(report, null, 1));
} else {
  for (const r of report) {
    console.log(`${JSON.stringify(r.query)}: ${r.total} hits, ${r.files.length} files, ${r.bytes} bytes`);
    r.results.slice(0, 5).forEach((x, i) => console.log(`  ${i + 1}. [${x.score.toFixed(0)}] ${x.kind ? x.kind + ": " : ""}${x.page} › ${x.heading}  ${x.href}`));
  }
}
