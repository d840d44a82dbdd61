import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateScenario } from '../sim/index';
import { findApp, uiCommands } from './guest-run';

describe('vgpio guest --ui', () => {
  const saved = process.env['VGPIO_APP_DIR'];
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env['VGPIO_APP_DIR'];
    else process.env['VGPIO_APP_DIR'] = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('says how to build the app when the app directory has no build', () => {
    const d = mkdtempSync(join(tmpdir(), 'vgpio-app-'));
    dirs.push(d);
    process.env['VGPIO_APP_DIR'] = d;
    expect(findApp()).toEqual({ ok: false, reason: `the app is not built (no ${d}/index.html): run \`npx vite build\` (or \`npm run build\`) in the vgpio-lab checkout first` });
    writeFileSync(join(d, 'index.html'), '<!doctype html>');
    expect(findApp()).toEqual({ ok: true, dir: d });
  });

  it('without --run watches every line of the device after naming them', () => {
    const v = validateScenario({ version: 1, title: 't', seed: 1, duration: '1ms', device: { lines: [{}, {}, {}] } });
    if (!v.ok) throw new Error(v.error);
    expect(uiCommands(v.value)).toBe('gpioinfo -c gpiochip0; gpiomon -c gpiochip0 0 1 2');
  });
});
