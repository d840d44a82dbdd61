#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm install` (the prepare step).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist-cli/vgpio.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('vgpio: the CLI is not built yet; run `npm install` (or `npm run build:cli`) first\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
