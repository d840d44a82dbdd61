import { expect, test, type Page } from '@playwright/test';

// Follow mode: the message sequence chart at human pace. One interrupt round trip of the calm board
// walked one event at a time, the current event highlighted in the lines board, the waveform, the
// trace list and the ring inspector; Step on an idle board says why nothing moved.

test.describe.configure({ timeout: 90_000 });

interface Highlight {
  chart: number;
  line: number;
  wf: number;
  lines: number;
  trace: boolean;
  /** The longest wait between two animation frames since the previous entry (ms). */
  gap: number;
  /** Trace events the page has received. */
  total: number;
}

/** calm-board run to its end at full speed: nothing is pending any more. */
async function idleBoard(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
}

/**
 * What every panel highlights, read once per animation frame in the page (window.__followLog), with
 * the trace events the page has received and the longest gap between frames since the previous entry.
 */
async function recordHighlights(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: Highlight[] = [];
    (window as unknown as { __followLog: Highlight[] }).__followLog = log;
    let lastFrame = performance.now();
    let gap = 0;
    const tick = (): void => {
      const now = performance.now();
      gap = Math.max(gap, now - lastFrame);
      lastFrame = now;
      const row = document.querySelector<HTMLElement>('.seq-row[data-current="1"]');
      if (row) {
        const board = document.querySelector<HTMLElement>('.lines-row[data-current="1"]');
        const entry = {
          chart: Number(row.dataset['seq']),
          line: Number(row.dataset['line']),
          wf: Number(document.querySelector<HTMLElement>('[data-testid="waveform"]')?.dataset['currentSeq'] ?? -2),
          lines: board ? Number(board.dataset['line']) : -1,
          trace: document.querySelector('.tl-rows .tl-row[data-current="1"][aria-selected="true"]') !== null,
          gap: 0,
          total: window.__vgpio?.live.trace.total ?? -1,
        };
        const last = log[log.length - 1];
        if (!last || last.chart !== entry.chart || last.lines !== entry.lines || last.wf !== entry.wf || last.trace !== entry.trace) {
          entry.gap = gap;
          gap = 0;
          log.push(entry);
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const arrows = (page: Page): Promise<string[]> =>
  page.locator('.seq-row').evaluateAll((rows) => rows.filter((r) => (r as HTMLElement).dataset['from'] !== (r as HTMLElement).dataset['to']).map((r) => `${(r as HTMLElement).dataset['from']} -> ${(r as HTMLElement).dataset['to']}: ${r.querySelector('.seq-label')?.textContent ?? ''}`));

test('Step on an idle board says nothing is pending, in the toast and the follow status', async ({ page }) => {
  await idleBoard(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('toast')).toHaveText('Nothing pending: drive a line or type a command.');
  await page.getByRole('switch', { name: 'Follow mode' }).click();
  await expect(page.getByTestId('follow-status')).toHaveText('Nothing pending: drive a line or type a command.');
  await expect(page.getByTestId('follow-status')).toHaveAttribute('aria-live', 'polite');
});

test('the keyboard starts and stops following, changes the pace and steps', async ({ page }) => {
  await idleBoard(page);
  await page.getByRole('switch', { name: 'Follow mode' }).click();
  // The panel (and its keys) loads when the mode is first switched on.
  await expect(page.getByTestId('follow-status')).toBeVisible();
  await page.locator('body').focus();
  await page.keyboard.press('n');
  await expect(page.getByTestId('follow-status')).toHaveText('Nothing pending: drive a line or type a command.');
  await page.keyboard.press(']');
  await expect(page.getByRole('combobox', { name: 'Pace' })).toHaveValue('5');
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Stop following' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('[');
  await expect(page.getByRole('combobox', { name: 'Pace' })).toHaveValue('2');
  await page.keyboard.press('p');
  await expect(page.getByRole('button', { name: 'Follow', exact: true })).toHaveAttribute('aria-pressed', 'false');
});

test('following at 5 events/s walks a calm-board round trip one event at a time, highlighted in all four panels, on a 1024x768 projector', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await idleBoard(page);
  await page.getByRole('switch', { name: 'Follow mode' }).click();
  await page.getByRole('combobox', { name: 'Pace' }).selectOption('5');
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByTestId('follow-status')).toContainText('Following at 5 events/s');
  await recordHighlights(page);

  // The edge: press the active-low button. Its round trip is revealed one event at a time.
  await page.getByRole('button', { name: 'Drive button' }).click();
  const held = page.locator('.seq-row[data-current="1"] .seq-label');
  await expect(held).toHaveText("device holds gpio 0's eventq buffer", { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('follow-1024x768.png') });

  // One round trip, as arrows in order: edge, VALID, handler, re-queue, buffer held again.
  const chart = await arrows(page);
  const at = (s: string): number => chart.findIndex((a) => a.includes(s));
  const order = [
    at('line -> device: line 0 falls to 0'),
    at("device -> eventq: eventq buffer gpio 0 returned VALID"),
    at('driver -> client: handler of client 0, gpio 0'),
    at('driver -> eventq: add chain 0'),
    at("eventq -> device: device holds gpio 0's eventq buffer"),
  ];
  expect(order.every((x, i) => x >= 0 && (i === 0 || x > (order[i - 1] as number))), `${JSON.stringify(order)} in ${chart.join(' | ')}`).toBe(true);

  // The pace: the current event moved on in order, one event at a time (21 events from the press to
  // the buffer held). A page or worker that stalls longer than the 200 ms period may get two events
  // in one batch, so a move by more than one is allowed only rarely; in every observed state the page
  // has received exactly the events up to the current one, never one ahead of it.
  const log = await page.evaluate(() => (window as unknown as { __followLog: Highlight[] }).__followLog);
  const moves = log.flatMap((e, i) => (i > 0 && e.chart !== log[i - 1]!.chart ? [{ by: e.chart - log[i - 1]!.chart, gap: Math.round(e.gap) }] : []));
  const press = await page.locator('.seq-row').evaluateAll((rows) => Number((rows.filter((r) => r.querySelector('.seq-label')?.textContent === 'step: press').pop() as HTMLElement | undefined)?.dataset['seq'] ?? -1));
  expect(log[0]!.chart).toBeGreaterThanOrEqual(press);
  expect(log[log.length - 1]!.chart - press).toBe(20);
  expect(moves.every((m) => m.by >= 1), JSON.stringify(moves)).toBe(true);
  expect(moves.filter((m) => m.by === 1).length, JSON.stringify(moves)).toBeGreaterThanOrEqual(12);
  for (const e of log) expect(e.total).toBe(e.chart + 1);
  // The four panels agree in every frame: the waveform's marker, the trace list's selected row, the lines board's row.
  for (const e of log) {
    expect(e.wf).toBe(e.chart);
    expect(e.trace).toBe(true);
    expect(e.lines).toBe(e.line >= 0 ? e.line : -1);
  }
  expect(log.some((e) => e.lines === 0)).toBe(true);
  // The waveform zoomed in: the round trip (11 us) in a window of tens of microseconds, not the whole 6 ms run.
  expect(Number(await page.getByTestId('waveform').getAttribute('data-span'))).toBeLessThanOrEqual(50_000);
  expect(Number(await page.getByTestId('waveform').getAttribute('data-current-x'))).toBeGreaterThan(0);

  // Readable at 1024x768: the chart fits its panel's width, the panel is on screen.
  const fits = await page.locator('.seq-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
  // The status line (following, waiting, nothing pending) is whole, not cut off at the panel's edge.
  await expect(page.getByTestId('follow-status')).toContainText('Nothing pending: drive a line or type a command.');
  const status = await page.getByTestId('follow-status').evaluate((el) => {
    const r = el.getBoundingClientRect();
    const panel = el.closest('section')!.getBoundingClientRect();
    return el.scrollWidth <= el.clientWidth + 1 && r.right <= panel.right + 1 && r.bottom <= panel.bottom;
  });
  expect(status).toBe(true);
  const box = await page.getByTestId('follow-panel').boundingBox();
  expect(box && box.y >= 0 && box.y + box.height <= 768 && box.x + box.width <= 1024).toBe(true);
  // The page itself does not scroll: the four panels share the screen.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight && document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The ring inspector: the descriptor the current event (the buffer held again) touched.
  await page.getByRole('tab', { name: 'Virtqueues' }).click();
  const desc = page.locator('[data-queue="eventq"] .qi-table tr[data-current="1"]');
  await expect(desc).toHaveCount(1);
  await expect(desc).toHaveAttribute('data-desc', '0');
  await expect(desc).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('follow-1024x768-rings.png') });
});
