// Regenerates src/slug/table.rs from github-slugger's Unicode 13 regex:
//   mkdir -p /tmp/gs/github-slugger && cd /tmp/gs/github-slugger && npm pack github-slugger@2.0.0 && tar xzf github-slugger-2.0.0.tgz
//   cp scripts/gen-slug-table.mjs /tmp/gs/ && node /tmp/gs/gen-slug-table.mjs > src/slug/table.rs
import { regex } from './github-slugger/package/regex.js';
// Ranges of non-ASCII code points that github-slugger keeps (does not strip).
const keep = [];
let start = -1;
// Exactly what github-slugger does: `value.replace(regex, '')` on the lower-cased text.
for (let cp = 0x80; cp <= 0x10FFFF; cp++) {
  if (cp >= 0xD800 && cp <= 0xDFFF) { if (start >= 0) { keep.push([start, cp - 1]); start = -1; } continue; }
  const kept = String.fromCodePoint(cp).replace(regex, '') !== '';
  if (kept && start < 0) start = cp;
  if (!kept && start >= 0) { keep.push([start, cp - 1]); start = -1; }
}
if (start >= 0) keep.push([start, 0x10FFFF]);
const hex = (n) => '0x' + n.toString(16).toUpperCase();
let out = '';
out += '//! Generated from github-slugger 2.0.0 `regex.js` (ISC; Unicode 13 tables): the non-ASCII\n';
out += '//! code points a GitHub heading id keeps. Regenerate with `scripts/gen-slug-table.mjs`.\n\n';
out += `/// Sorted, non-overlapping inclusive ranges of kept non-ASCII code points (${keep.length} ranges).\n`;
out += 'pub(super) const KEPT: &[(u32, u32)] = &[\n';
for (const [a, b] of keep) out += `    (${hex(a)}, ${hex(b)}),\n`;
out += '];\n';
process.stdout.write(out);
