// The app's initial JS, measured one way for the UI benchmark (scripts/bench-ui.mjs) and for the
// budget test (e2e/site.spec.ts): every JS file the built index.html loads before anything is
// asked for (its module scripts and modulepreload links, and every chunk they import statically,
// never through import()), each gzipped at level 9, summed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue #12: the initial JS stays within 120 KiB gzipped. */
export const INITIAL_JS_BUDGET = 120 * 1024;

/** A file's size gzipped at level 9. */
export const gzipBytes = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The chunks `entries` import statically (import/export ... from, never import()), the entries included. */
export function staticClosure(outDir, entries) {
  const seen = new Set();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // import{a}from"./x.js"; import"./x.js"; export{a}from"./x.js" (but never import("./x.js")).
    const re = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+\.js)["']/g;
    for (const m of code.matchAll(re)) {
      const spec = m[1];
      const target = spec.startsWith('/') ? join(outDir, spec) : resolve(dirname(file), spec);
      if (existsSync(target)) stack.push(target);
    }
  }
  return [...seen];
}

/** The initial JS of the build in `outDir`: each file (path inside outDir) with its gzip size, largest first, and the sum. */
export function initialJs(outDir) {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*\btype=["']module["'][^>]*\bsrc=["']([^"']+)["']/g), ...html.matchAll(/<link[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["']/g)].map(
    (m) => join(outDir, m[1].replace(/^\//, '')),
  );
  if (srcs.length === 0) throw new Error(`no module script in ${join(outDir, 'index.html')}`);
  const files = staticClosure(outDir, srcs)
    .map((f) => ({ file: f.slice(outDir.length + 1), gzipBytes: gzipBytes(f) }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { files, gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}
