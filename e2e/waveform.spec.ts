import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

/** Marker kinds of the trace store's lanes (src/ui/trace-store.ts). */
const M = { DeviceEvent: 1, BufferReturned: 2, Requeue: 3, HandlerStart: 4, HandlerEnd: 5, Oracle: 6, Violation: 7 } as const;

declare global {
  interface Window {
    /** This file's draw-time samples (data-draw-ms of each waveform draw), collected in the page. */
    __draws?: number[];
  }
}

interface Mark {
  t: number;
  kind: number;
  arg: number;
}

/** Lane `line`'s markers, read from the app's test handle. */
async function marks(page: Page, line: number): Promise<Mark[]> {
  return onApp(page, (h, l) => {
    const lane = h.trace().lanes[l];
    if (!lane) return [];
    return Array.from({ length: lane.markT.length }, (_, i) => ({ t: lane.markT.data[i]!, kind: lane.markKind.data[i]!, arg: lane.markArg.data[i]! }));
  }, line);
}

interface View {
  t0: number;
  span: number;
  gutter: number;
  laneH: number;
  axisH: number;
  scrollY: number;
  width: number;
  follow: boolean;
}

async function view(page: Page): Promise<View> {
  return page.getByTestId('waveform').evaluate((c: HTMLCanvasElement) => ({
    t0: Number(c.dataset['t0']),
    span: Number(c.dataset['span']),
    gutter: Number(c.dataset['gutter']),
    laneH: Number(c.dataset['laneH']),
    axisH: Number(c.dataset['axisH']),
    scrollY: Number(c.dataset['scrollY']),
    width: c.clientWidth,
    follow: c.dataset['follow'] === '1',
  }));
}

/**
 * Counts canvas pixels close to a CSS color variable in a box (CSS px) around
 * time t on a lane: `rows` picks the lane's strip ('flags' top, 'events' bottom, 'lane' all).
 */
async function colorPixelsAt(page: Page, line: number, t: number, cssVar: string, rows: 'flags' | 'events' | 'lane', halfWidth = 4): Promise<number> {
  return page.getByTestId('waveform').evaluate(
    (c: HTMLCanvasElement, a: { line: number; t: number; cssVar: string; rows: string; halfWidth: number }) => {
      const d = c.dataset;
      const dpr = c.width / c.clientWidth;
      const span = Number(d['span']);
      const gutter = Number(d['gutter']);
      const plotW = c.clientWidth - gutter;
      const x = gutter + ((a.t - Number(d['t0'])) / span) * plotW;
      const laneH = Number(d['laneH']);
      const top = Number(d['axisH']) + a.line * laneH - Number(d['scrollY']);
      const [y0, y1] = a.rows === 'flags' ? [top, top + 10] : a.rows === 'events' ? [top + laneH - 10, top + laneH - 1] : [top, top + laneH];
      // The variable's color as RGB, through the browser's own parser.
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(a.cssVar);
      document.body.append(probe);
      const rgb = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      probe.remove();
      const sx = Math.max(0, Math.round((x - a.halfWidth) * dpr));
      const sy = Math.max(0, Math.round(y0 * dpr));
      const w = Math.max(1, Math.round(2 * a.halfWidth * dpr));
      const h = Math.max(1, Math.round((y1 - y0) * dpr));
      const img = c.getContext('2d')!.getImageData(sx, sy, w, h).data;
      let n = 0;
      for (let i = 0; i < img.length; i += 4) {
        if (Math.abs(img[i]! - rgb[0]!) < 40 && Math.abs(img[i + 1]! - rgb[1]!) < 40 && Math.abs(img[i + 2]! - rgb[2]!) < 40) n++;
      }
      return n;
    },
    { line, t, cssVar, rows, halfWidth },
  );
}

/** The canvas color half-way down lane `line` at time t (between its high and low levels). */
async function pixelAt(page: Page, line: number, t: number): Promise<number[]> {
  return page.getByTestId('waveform').evaluate(
    (c: HTMLCanvasElement, a: { line: number; t: number }) => {
      const d = c.dataset;
      const dpr = c.width / c.clientWidth;
      const gutter = Number(d['gutter']);
      const x = gutter + ((a.t - Number(d['t0'])) / Number(d['span'])) * (c.clientWidth - gutter);
      const laneH = Number(d['laneH']);
      const y = Number(d['axisH']) + a.line * laneH - Number(d['scrollY']) + laneH / 2;
      return Array.from(c.getContext('2d')!.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data);
    },
    { line, t },
  );
}

/** A hash of lane `line`'s pixels (the whole row of the canvas). */
async function laneHash(page: Page, line: number): Promise<string> {
  return page.getByTestId('waveform').evaluate((c: HTMLCanvasElement, l: number) => {
    const d = c.dataset;
    const dpr = c.width / c.clientWidth;
    const laneH = Number(d['laneH']);
    const top = Number(d['axisH']) + l * laneH - Number(d['scrollY']);
    const img = c.getContext('2d')!.getImageData(0, Math.round(top * dpr), c.width, Math.round(laneH * dpr)).data;
    let h = 2166136261;
    for (let i = 0; i < img.length; i++) h = Math.imul(h ^ img[i]!, 16777619);
    return (h >>> 0).toString(16);
  }, line);
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
}

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect(page.getByTestId('waveform')).toBeVisible();
});

test.afterEach(async ({ page }) => {
  expect((page as Page & { errors?: string[] }).errors ?? []).toEqual([]);
});

test('is an accessible, labelled panel', async ({ page }) => {
  const panel = page.getByRole('region', { name: 'Waveform' });
  await expect(panel).toBeVisible();
  const canvas = page.getByRole('img', { name: /^Waveform: all 6 lines, from / });
  await expect(canvas).toBeVisible();
  await expect(canvas).toHaveAttribute('tabindex', '0');
  await expect(canvas).toHaveAccessibleDescription(/Left and Right arrows move the cursor/);
  for (const name of ['Zoom in', 'Zoom out', 'Fit the whole run', 'Follow live', 'Live']) await expect(panel.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Follow live' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('list', { name: 'Waveform legend' })).toContainText('LOST');
});

test('driving the button draws its edge, buffer return and handler run on lane 0', async ({ page }) => {
  await runToEnd(page);
  const before = await marks(page, 0);
  const hashBefore = await laneHash(page, 0);
  // The timeline pressed the button twice: two delivered edges.
  expect(before.filter((m) => m.kind === M.DeviceEvent).length).toBe(2);

  // Watch it at 1/1000 of real time: the edge, the buffer return, the handler run and the re-queue.
  await page.getByLabel('Speed').selectOption('0.001');
  await page.getByRole('button', { name: 'Drive button' }).click();
  const run = page.getByRole('button', { name: /^(Run|Continue)$/ });
  if ((await page.getByTestId('run-status').textContent()) !== 'running' && (await run.isVisible())) await run.click();
  await expect
    .poll(async () => {
      const after = await marks(page, 0);
      return [M.DeviceEvent, M.BufferReturned, M.HandlerStart, M.HandlerEnd, M.Requeue].map((k) => after.filter((m) => m.kind === k).length - before.filter((m) => m.kind === k).length);
    })
    .toEqual([1, 1, 1, 1, 1]);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');

  const after = await marks(page, 0);
  const edge = after.filter((m) => m.kind === M.DeviceEvent).at(-1)!;
  const ret = after.filter((m) => m.kind === M.BufferReturned).at(-1)!;
  const start = after.filter((m) => m.kind === M.HandlerStart).at(-1)!;
  const end = after.filter((m) => m.kind === M.HandlerEnd).at(-1)!;
  const requeue = after.filter((m) => m.kind === M.Requeue).at(-1)!;
  expect(edge.arg).toBe(0); // delivered
  expect(ret.arg).toBe(1); // VALID
  expect(edge.t).toBeLessThan(ret.t);
  // The lane's pixels changed.
  await expect.poll(() => laneHash(page, 0)).not.toBe(hashBefore);

  // Drag the new edge to the middle of the plot, then zoom in around it until its markers stand apart.
  const canvas = page.getByTestId('waveform');
  const box = (await canvas.boundingBox())!;
  const v = await view(page);
  const xEdge = v.gutter + ((edge.t - v.t0) / v.span) * (v.width - v.gutter);
  const xMid = v.gutter + (v.width - v.gutter) / 2;
  await page.mouse.move(box.x + xEdge, box.y + v.axisH + 4 * v.laneH + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + xMid, box.y + v.axisH + 4 * v.laneH + 5, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Follow live' })).toHaveAttribute('aria-pressed', 'false');
  await canvas.focus();
  for (let i = 0; i < 20 && (await view(page)).span > 60_000; i++) await page.keyboard.press('+');
  const z = await view(page);
  expect(z.span).toBeLessThanOrEqual(60_000);
  expect(edge.t).toBeGreaterThan(z.t0);
  expect(end.t).toBeLessThan(z.t0 + z.span);
  // Edge delivered (a triangle in --accent), buffer VALID (a dot in --ok), re-queue (in --muted), all in the event strip.
  expect(await colorPixelsAt(page, 0, edge.t, '--accent', 'events')).toBeGreaterThan(4);
  expect(await colorPixelsAt(page, 0, ret.t, '--ok', 'events')).toBeGreaterThan(4);
  expect(await colorPixelsAt(page, 0, requeue.t, '--muted', 'events')).toBeGreaterThan(2);
  // The handler run is a band behind the trace: mid-run differs from just before the edge.
  const inRun = await pixelAt(page, 0, (start.t + end.t) / 2);
  const idle = await pixelAt(page, 0, edge.t - (z.span / 10));
  expect(inRun).not.toEqual(idle);
});

test('zooms with buttons, wheel and keys, and follows live until told otherwise', async ({ page }) => {
  const canvas = page.getByTestId('waveform');
  const range = page.getByTestId('waveform-range');
  const follow = page.getByRole('button', { name: 'Follow live' });
  const v0 = await view(page);
  expect(v0.follow).toBe(true);
  const text0 = await range.textContent();

  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await view(page)).span).toBeCloseTo(v0.span / 2, 3);
  await expect(range).not.toHaveText(text0 ?? '');
  await expect(follow).toHaveAttribute('aria-pressed', 'false');

  // The wheel zooms around the pointer: the time under it stays put.
  const v1 = await view(page);
  const px = v1.gutter + (v1.width - v1.gutter) * 0.25;
  const tUnder = v1.t0 + 0.25 * v1.span;
  await canvas.hover({ position: { x: px, y: v1.axisH + 10 } });
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await view(page)).span).toBeLessThan(v1.span * 0.8);
  const v2 = await view(page);
  const k2 = v2.span / (v2.width - v2.gutter);
  expect(Math.abs(v2.t0 + (px - v2.gutter) * k2 - tUnder)).toBeLessThan(2 * k2);

  await canvas.focus();
  await page.keyboard.press('-');
  await expect.poll(async () => (await view(page)).span).toBeCloseTo(v2.span * 2, 3);
  // Shift+Right pans a quarter of the view.
  const v3 = await view(page);
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => (await view(page)).t0).toBeCloseTo(v3.t0 + v3.span / 4, 0);
  // Dragging pans too.
  const v4 = await view(page);
  const y = v4.axisH + 40;
  await page.mouse.move(v4.gutter + 300 + (await canvas.boundingBox())!.x, y + (await canvas.boundingBox())!.y);
  await page.mouse.down();
  await page.mouse.move(v4.gutter + 200 + (await canvas.boundingBox())!.x, y + (await canvas.boundingBox())!.y, { steps: 5 });
  await page.mouse.up();
  const k4 = v4.span / (v4.width - v4.gutter);
  await expect.poll(async () => Math.abs((await view(page)).t0 - (v4.t0 + 100 * k4))).toBeLessThan(2 * k4);
  expect(await onApp(page, (h) => h.state().cursor)).toBeNull(); // a drag is not a click

  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await runToEnd(page);
  // Following live: the end of the run is in view.
  const now = await onApp(page, (h) => h.live.view!.now);
  const v5 = await view(page);
  expect(now).toBeGreaterThanOrEqual(v5.t0);
  expect(now).toBeLessThanOrEqual(v5.t0 + v5.span);

  await page.getByRole('button', { name: 'Fit the whole run' }).click();
  const v6 = await view(page);
  expect(v6.t0).toBeLessThanOrEqual(0);
  expect(v6.t0 + v6.span).toBeGreaterThanOrEqual(now);
  // Zoomed all the way in, ticks still label every 1 ns.
  for (let i = 0; i < 25; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await view(page)).span).toBe(10);
});

test('a click sets the time-travel cursor, arrows move it, Live returns', async ({ page }) => {
  await runToEnd(page);
  const canvas = page.getByTestId('waveform');
  const level0 = page.locator('.lines [role=row][data-line="0"] .level');
  await expect(level0).toHaveText('HIGH');
  // The button is held low from 1 ms to 1.3 ms: click at 1.15 ms on the idle lane 4.
  const v = await view(page);
  const x = v.gutter + ((1_150_000 - v.t0) / v.span) * (v.width - v.gutter);
  await canvas.click({ position: { x, y: v.axisH + 4 * v.laneH + v.laneH / 2 } });
  const cursor = await onApp(page, (h) => h.state().cursor);
  expect(cursor).not.toBeNull();
  expect(Math.abs(cursor! - 1_150_000)).toBeLessThan(v.span / (v.width - v.gutter));
  await expect(page.getByTestId('waveform-cursor')).toContainText('cursor');
  // The worker answers with the state at that time; the other panels show it.
  await expect.poll(() => onApp(page, (h) => h.live.snapshot?.t ?? null)).toBe(cursor);
  await expect(level0).toHaveText('low');
  await expect(canvas).toHaveAttribute('aria-label', /Cursor at 1\.1\d* ms/);

  await page.keyboard.press('ArrowRight');
  const moved = await onApp(page, (h) => h.state().cursor);
  expect(moved).toBe(cursor! + Math.round((10 * v.span) / (v.width - v.gutter)));
  await expect.poll(() => onApp(page, (h) => h.live.snapshot?.t ?? null)).toBe(moved);
  // Ctrl+Right jumps to the next event on the inspected line (lane 0: the button's release at 1.3 ms).
  await canvas.click({ position: { x: 20, y: v.axisH + v.laneH / 2 } }); // the name of line 0: inspect it
  await expect.poll(() => onApp(page, (h) => h.state().inspectLine)).toBe(0);
  await canvas.focus();
  await page.keyboard.press('Control+ArrowRight');
  const next = await onApp(page, (h) => h.state().cursor);
  const lane0 = await onApp(page, (h) => {
    const l = h.trace().lanes[0]!;
    return [...Array.from(l.levelT.data.slice(0, l.levelT.length)), ...Array.from(l.markT.data.slice(0, l.markT.length))];
  });
  expect(next).toBe(Math.min(...lane0.filter((t) => t > moved!)));

  // Another panel (the trace list) moving the cursor far away scrolls the waveform to it.
  for (let i = 0; i < 6; i++) await page.keyboard.press('+');
  const narrow = await view(page);
  // The last visible row of the trace list: an event near the end of the run.
  const list = page.getByTestId('trace-scroll');
  const listBox = (await list.boundingBox())!;
  await list.click({ position: { x: Math.min(300, listBox.width / 2), y: listBox.height - 14 } });
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).not.toBe(next);
  const listCursor = (await onApp(page, (h) => h.state().cursor))!;
  expect(listCursor < narrow.t0 || listCursor > narrow.t0 + narrow.span).toBe(true);
  await expect
    .poll(async () => {
      const w = await view(page);
      return listCursor >= w.t0 && listCursor <= w.t0 + w.span;
    })
    .toBe(true);

  await page.getByRole('button', { name: 'Live', exact: true }).click();
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).toBeNull();
  await expect.poll(() => onApp(page, (h) => h.live.snapshot)).toBeNull();
  await expect(level0).toHaveText('HIGH');
  await expect(page.getByTestId('waveform-cursor')).toHaveText('live');
  await expect(page.getByRole('button', { name: 'Follow live' })).toHaveAttribute('aria-pressed', 'true');
});

test('the race scenario shows a LOST flag on lane 0', async ({ page }) => {
  await page.getByRole('button', { name: 'Masking with SET_IRQ_TYPE NONE loses an edge' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await runToEnd(page);
  const lane0 = await marks(page, 0);
  const lost = lane0.filter((m) => m.kind === M.Oracle && m.arg === 3);
  expect(lost.length).toBe(1);
  const masked = lane0.filter((m) => m.kind === M.DeviceEvent && m.arg === 2);
  expect(masked.length).toBe(1);
  // Drawn in --bad in the flag strip, and named in the accessible summary.
  await expect.poll(() => colorPixelsAt(page, 0, lost[0]!.t, '--bad', 'flags')).toBeGreaterThan(4);
  await expect(page.getByTestId('waveform')).toHaveAttribute('aria-label', /Flags in view: 1 lost/);
});

test('a long busy run keeps its lanes within their memory budget and says where history starts', async ({ page }) => {
  // 8 clocks at 100 kHz for 200 ms: about 1.4 million lane entries (edges and markers), over the 1 million budget.
  const json = {
    version: 1,
    title: 'Busy lanes',
    seed: 1,
    duration: '200ms',
    device: { lines: Array.from({ length: 8 }, (_, i) => ({ name: `l${i}` })) },
    world: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, { kind: 'clock', period: '10us', start: `${(i + 1) * 10}us` }])),
    clients: Array.from({ length: 8 }, (_, i) => ({ kind: 'irq-consumer', line: `l${i}`, trigger: 'edge-both', name: `c${i}` })),
  };
  await onApp(page, (h, j) => h.client.load({ kind: 'json', json: j }), json);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(json.title);
  await runToEnd(page);
  await expect.poll(() => onApp(page, (h) => h.live.trace.total === h.live.traceTotal), { timeout: 60_000 }).toBe(true);
  const lanes = await onApp(page, (h) => {
    const t = h.trace();
    return { since: t.lanesSince, held: t.lanes.reduce((n, l) => n + l.entries, 0), first: t.lanes[0]!.levelT.data[0]!, now: h.live.view!.now };
  });
  expect(lanes.since).toBeGreaterThan(0);
  expect(lanes.held).toBeLessThanOrEqual(1_000_000);
  expect(lanes.held).toBeGreaterThan(400_000);
  expect(lanes.first).toBeGreaterThanOrEqual(lanes.since);
  // The whole run in view: the dropped part is blanked and the summary says where history starts.
  await page.getByTestId('waveform').focus();
  await page.keyboard.press('0');
  await expect(page.getByTestId('waveform')).toHaveAttribute('aria-label', /History before [\d.]+ [a-z]+ was dropped to bound memory\./);
});

test('follows the theme', async ({ page }) => {
  const background = (): Promise<boolean> =>
    page.getByTestId('waveform').evaluate((c: HTMLCanvasElement) => {
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--panel');
      document.body.append(probe);
      const rgb = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      probe.remove();
      const px = c.getContext('2d')!.getImageData(2, 2, 1, 1).data;
      return Math.abs(px[0]! - rgb[0]!) < 3 && Math.abs(px[1]! - rgb[1]!) < 3 && Math.abs(px[2]! - rgb[2]!) < 3;
    });
  await expect.poll(background).toBe(true);
  const before = await page.getByTestId('waveform').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data));
  await page.getByRole('button', { name: /^Switch to (dark|light) theme$/ }).click();
  await expect.poll(async () => (await background()) && (await page.getByTestId('waveform').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data))).join() !== before.join()).toBe(true);
});

test('draws a busy board (64 lines, 8 clocks at 1 kHz, over a million events) in a few ms', async ({ page }, testInfo) => {
  testInfo.setTimeout(180_000);
  const json = {
    version: 1,
    title: 'Busy: 64 lines, 8 clocks at 1 kHz',
    seed: 1,
    duration: '600s',
    device: { lines: Array.from({ length: 64 }, (_, i) => ({ name: `l${i}` })) },
    world: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, { kind: 'clock', period: '1ms', start: `${i * 37}us` }])),
    clients: Array.from({ length: 8 }, (_, i) => ({ kind: 'irq-consumer', line: `l${i}`, trigger: 'edge-both', name: `c${i}`, threaded: i % 2 === 1, handlerTime: '20us', threadTime: '100us' })),
  };
  await onApp(page, (h, j) => h.client.load({ kind: 'json', json: j }), json);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(json.title);
  await page.evaluate(() => {
    const draws: number[] = [];
    window.__draws = draws;
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=waveform]')!;
    new MutationObserver(() => window.__draws?.push(Number(c.dataset['drawMs']))).observe(c, { attributes: true, attributeFilter: ['data-draw-ms'] });
  });
  const drawStats = (): Promise<{ n: number; median: number; p90: number }> =>
    page.evaluate(() => {
      const d = (window.__draws ?? []).sort((a, b) => a - b);
      window.__draws = [];
      return { n: d.length, median: d[d.length >> 1]!, p90: d[Math.floor(d.length * 0.9)]! };
    });
  await page.getByLabel('Speed').selectOption('1');
  await expect.poll(() => onApp(page, (h) => h.live.traceTotal), { timeout: 120_000 }).toBeGreaterThan(1_000_000);
  await page.evaluate(() => void (window.__draws = []));
  await page.waitForTimeout(3000);
  const running = await drawStats();
  await page.getByRole('button', { name: 'Pause' }).click();
  // The whole run in view (every active lane dense), then zooming and panning over it.
  const canvas = page.getByTestId('waveform');
  await canvas.focus();
  await page.keyboard.press('0');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
  await page.evaluate(() => void (window.__draws = []));
  for (let i = 0; i < 40; i++) {
    await page.mouse.wheel(0, i < 20 ? -60 : 60);
    await page.waitForTimeout(20);
  }
  for (let i = 0; i < 20; i++) await page.keyboard.press(i < 10 ? 'Shift+ArrowLeft' : 'Shift+ArrowRight');
  const interactive = await drawStats();
  const held = await onApp(page, (h) => h.live.traceTotal);
  testInfo.annotations.push({ type: 'draw ms', description: JSON.stringify({ held, running, interactive }) });
  console.log(`waveform draw with ${held} events held: running at 1x ${JSON.stringify(running)}, interacting ${JSON.stringify(interactive)}`);
  expect(interactive.n).toBeGreaterThan(20);
  expect(interactive.median).toBeLessThan(8);
});
