import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The page imports the lesson library and the glossary from src/sim/index.ts;
 * the validator (valibot) must stay out of what it pulls in. Bundled the way
 * the app is (tree-shaken, package.json's sideEffects honoured).
 */
async function bundle(names: string): Promise<string> {
  const index = resolve(__dirname, '../../index.ts');
  const r = await build({
    stdin: { contents: `import { ${names} } from ${JSON.stringify(index)};\nconsole.log(${names});`, resolveDir: __dirname, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    logLevel: 'silent',
  });
  return r.outputFiles[0]?.text ?? '';
}

describe('lesson data without the validator', () => {
  test('LESSONS, GLOSSARY and glossaryEntry bundle without valibot; the validator brings it', async () => {
    const data = await bundle('LESSONS, GLOSSARY, glossaryEntry, termLinks, LESSON_VERSION');
    expect(data).toContain('device-and-config');
    expect(data).toContain('eventq buffer pair');
    expect(data).not.toMatch(/node_modules\/valibot/);
    const validator = await bundle('validateLesson');
    expect(validator).toMatch(/node_modules\/valibot/);
  }, 30_000);
});
