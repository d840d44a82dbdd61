// Test helper: runs the CLI in-process and captures what it writes (main.test.ts style).
import { vi } from 'vitest';
import { main } from './main';

export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * Bundles the CLI from the current sources into `dir` (not dist-cli/, which
 * other test files build concurrently) and returns the path of a launcher
 * script: `node <launcher> run …` behaves like `vgpio run …`. For tests that
 * need a separate process: a timeout, a real stdout, a file descriptor.
 */
export async function buildCliInto(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const { writeFileSync } = await import('node:fs');
  const { join, resolve } = await import('node:path');
  const bundle = join(dir, 'vgpio-test.mjs');
  await build({
    entryPoints: [resolve(__dirname, 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const launcher = join(dir, 'launch.mjs');
  writeFileSync(launcher, `const { main } = await import(${JSON.stringify(new URL(`file://${bundle}`).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return launcher;
}
