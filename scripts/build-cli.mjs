// Bundles the TypeScript CLI into one ESM file so `vgpio` runs on plain Node 20
// right after `npm install` (this script is the package's `prepare` step).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  // Not under dist/: `vite build` empties dist/, and the CLI must survive an app build.
  outfile: 'dist-cli/vgpio.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
