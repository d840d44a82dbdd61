// Bundles the TypeScript CLI into one self-contained ESM file (every dependency inlined) so `vgpio`
// runs on plain Node 20: run by `npm install` in a checkout (the `prepare` step) and by `npm pack` /
// `npm publish` (`prepack`), so the package carries the bundle and needs no dependencies at run time.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/cli/main.ts'],
  // Not under dist/: `vite build` empties dist/, and the CLI must survive an app build.
  outfile: 'dist-cli/vgpio.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  write: false,
});
// Each file is written beside itself and renamed into place: a `vgpio` started while a build runs
// (tests build concurrently) never loads a half-written bundle.
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}
