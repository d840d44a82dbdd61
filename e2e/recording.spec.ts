import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { onApp } from './handle';

/**
 * Opening a recording: e2e/fixtures/real-guest.jsonl was written by a real
 * `vgpio guest --trace` run (QEMU 10, the kernel's gpio-virtio driver) of
 * `gpioget -c gpiochip0 button door; gpioset -c gpiochip0 -t 0 led0=1;
 * gpiomon -c gpiochip0 -n 2 clock` on the real-guest board. The page shows it
 * read only: lines, waveform, trace and counts from the file, no run or drive
 * controls; a damaged file is refused with its line number.
 */
const FIXTURE = 'e2e/fixtures/real-guest.jsonl';
const text = readFileSync(FIXTURE, 'utf8');
const records = text
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => JSON.parse(l) as { kind: string; line: number; a: number });
const clockEdges = records.filter((r) => r.kind === 'LineLevel' && r.line === 7).length;

test('a real guest\u2019s recording opens read only: its lines, waveform, trace and counts, and no run or drive controls', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('button', { name: /^Drive / }).first()).toBeVisible();
  await page.getByTestId('open-recording').setInputFiles(FIXTURE);

  await expect(page.getByTestId('recording-banner')).toContainText('Recording of a real Linux guest');
  await expect(page.getByTestId('recording-counts')).toContainText('219 events over');
  await expect(page.getByTestId('recording-counts')).toContainText('28 requests, 2 VALID and 1 INVALID eventq returns, 0 MUST violations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Real-guest board \(real guest: gpioget .*\) \(recording\)$/);
  await expect(page.getByTestId('run-status')).toHaveText('ended');

  // Lines: the board's names, and the levels the recording ended with (the pulled-up button high).
  for (const name of ['led0', 'button', 'door', 'clock']) await expect(page.getByRole('row', { name: new RegExp(`\\b${name}\\b`) }).first()).toBeVisible();
  expect(await onApp(page, (h) => Array.from(h.live.view?.lines.level ?? []))).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  // Waveform: every clock edge of the file in line 7's lane, and the device's two delivered interrupt events as markers.
  expect(clockEdges).toBe(80);
  expect(await onApp(page, (h) => h.trace().lanes[7]?.levelT.length)).toBe(clockEdges);
  expect(await onApp(page, (h) => h.trace().lanes[7]?.markT.length)).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('waveform')).toBeVisible();
  // Trace: all 219 records, the last ones on screen.
  await expect(page.getByTestId('trace-count')).toContainText('219');
  await expect(page.getByTestId('trace-scroll')).toContainText('device answers SET_DIRECTION gpio 7');

  // Read only: no drive buttons, no run controls, no share or export; a drive sent anyway is refused with the reason.
  await expect(page.getByRole('button', { name: /^Drive / })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Run controls' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  await onApp(page, (h) => h.client.send({ type: 'action', action: { do: 'drive', line: 2, level: 0 } }));
  await expect(page.getByTestId('toast')).toContainText('cannot be driven');

  // Time travel: the instant before anything happened shows the initial levels (the clock starts high).
  await onApp(page, (h) => h.client.send({ type: 'seek', t: 0 }));
  await expect.poll(() => onApp(page, (h) => (h.live.snapshot ? Array.from(h.live.snapshot.view.lines.level) : null))).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
  await onApp(page, (h) => h.client.send({ type: 'seek', t: null }));

  // Back to the simulation.
  await page.getByRole('button', { name: 'Close the recording' }).click();
  await expect(page.getByTestId('recording-banner')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Run controls' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Drive / }).first()).toBeVisible();
});

test('a .jsonl picked in Open a scenario file… opens as a recording; a damaged one is refused naming its line', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('button', { name: /^Drive / }).first()).toBeVisible();
  await page.getByLabel('Open a scenario file…').setInputFiles(FIXTURE);
  await expect(page.getByTestId('recording-banner')).toContainText('219 events');

  const lines = text.split('\n');
  lines[3] = lines[3]!.replace('"kind":"', '"kind":"No');
  await page.getByTestId('open-recording').setInputFiles({ name: 'damaged.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.getByTestId('load-error')).toHaveText(/This recording cannot be opened: damaged\.jsonl: line 4: kind is not a trace kind name/);
  // The recording already shown stays.
  await expect(page.getByTestId('recording-banner')).toContainText('219 events');

  await page.getByTestId('open-recording').setInputFiles({ name: 'empty.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('') });
  await expect(page.getByTestId('load-error')).toContainText('empty.jsonl: the file is empty');
});
