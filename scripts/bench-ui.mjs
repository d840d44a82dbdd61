#!/usr/bin/env node
// `npm run bench:ui`: measures the app in a real Chromium and prints ONE JSON object.
//
//  1. Builds the app (vite build --outDir dist-bench) and the CLI, serves the build with vite preview on
//     port 4299 (COOP/COEP headers as in production).
//  2. Steady load: 64 lines, 8 clocks at 1 kHz with edge-both irq consumers, at 1x for ~10 s of wall
//     time, loaded through a share link made by `vgpio link`. Reports the rAF frame interval
//     (work per frame, p50 / p95; plus the frame interval) and worker-batch-to-paint latency (p95)
//     from window.__vgpio.perf.
//  3. Trace scrolling: a very busy scenario at maximum speed until ~1,000,000 trace rows, then
//     paused; the Trace tab's list is scrolled top to bottom in steps for a few seconds while a
//     PerformanceObserver('longtask') counts main-thread tasks over 50 ms.
//  5. Explorer pool speedup: the same search in the Explore panel's pool with one worker, then with two
//     (the "2 cores"), each warmed first by three unmeasured runs of the same search, alternated
//     (workers started, JIT settled, as the panel keeps them), then five alternated measured runs each,
//     the median of each side reported; schedules/s of each and the ratio (target >= 1.7x),
//     through window.__vgpioExplore. Two searches: the library entry explore-level-timer-v1.2
//     (exhaustive, 2214 schedules, a few hundred ms: start-up dominates) and three level timers
//     (EXPLORE_BIG, a violation search cut at 20,000 schedules, seconds long); the top-level
//     explore* figures are the big one's. Each result carries where the time went (busy ms per worker,
//     the page's merge ms, slices and their mean size). The machine's load average is printed with it
//     (a shared machine's figure says little). BENCH_UI_ONLY=explore runs this part alone (no bundle
//     sizes, no steady run, no trace scroll); BENCH_UI_PORT picks the preview's port (default 4299).
//  4. Bundle sizes: gzip of the JS the page loads initially (entry chunk + its static imports), of the
//     worker, and of the lazily loaded TerminalPanel chunk.
//
//
// Soak mode (`npm run -s bench:ui -- --soak 600`): instead of the above, runs the busy scenario and a
// zero-time storm (buttons bouncing with zero interval: simulated time stands still while events pour
// out) at maximum speed for N seconds each, samples the page's and the worker's JS heap (after a
// forced GC, through the DevTools protocol; typed-array backing stores too) every 30 s, and reports each slope (KB per
// minute, least squares): a page or worker that keeps growing shows a steady positive slope.
//
// It reports, it does not test: exit 0 whatever the numbers, non-zero only when the harness fails.
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INITIAL_JS_BUDGET, gzipBytes, initialJs, staticClosure } from './initial-js.mjs';
import os from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = 'dist-bench';
const OUT_DIR = join(ROOT, OUT);
const PORT = Number(process.env.BENCH_UI_PORT) || 4299;
/** `BENCH_UI_ONLY=explore`: only the explorer pool's figures. */
const ONLY = process.env.BENCH_UI_ONLY || null;
if (ONLY !== null && ONLY !== 'explore') throw new Error(`BENCH_UI_ONLY: expected explore, not ${JSON.stringify(ONLY)}`);
const BASE = `http://localhost:${PORT}/`;
const STEADY_MS = 10_000;
const IDLE_MS = 2_000;
const TRACE_TARGET = 1_000_000;
const SCROLL_MS = 4_000;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The whole harness, at most: only a hung run gets here (the waits themselves have no time limit). */
const WATCHDOG_MS = 20 * 60_000;
const TARGETS = { frameP95Ms: 10, eventToPaintP95Ms: 16, traceScrollLongTasks: 0, initialJsGzipBytes: INITIAL_JS_BUDGET, explorePoolSpeedup: 1.7 };
const EXPLORE_ENTRY = 'explore-level-timer-v1.2';
const EXPLORE_POOL = 2;
/** Three level timers, each asserted in a window, every latency a range: far more schedules than EXPLORE_BIG_MAX (the file `vgpio bench` and the cancel e2e use too). */
const EXPLORE_BIG = JSON.parse(readFileSync(join(ROOT, 'src/sim/explore/three-level-timers.json'), 'utf8'));
const EXPLORE_BIG_MAX = 20_000;
/** Unmeasured runs of each side before the measured ones, and measured runs of each side (the median is reported). */
const EXPLORE_WARM = 3;
const EXPLORE_ROUNDS = 5;

const SOAK_SAMPLE_MS = 30_000;

const log = (msg) => process.stderr.write(`bench:ui: ${msg}\n`);

/** `--soak N`: seconds per soak scenario, or null for the ordinary bench. */
function soakSeconds(argv) {
  const i = argv.indexOf('--soak');
  if (i < 0) return null;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--soak needs a whole number of seconds, e.g. --soak 600');
  return n;
}

/** A zero-time storm: buttons bouncing with zero interval, pressed once; edge-both consumers on them. */
function stormScenario() {
  const lines = Array.from({ length: 8 }, (_, i) => ({ name: `b${i}` }));
  return {
    version: 1,
    title: 'bench: zero-time storm',
    description: 'Generated by scripts/bench-ui.mjs: bounce with zero interval keeps simulated time still.',
    seed: 1,
    duration: '1ms',
    device: { lines },
    world: Object.fromEntries(lines.map((l) => [l.name, { kind: 'button', bounce: { count: 1_000_000_000, interval: 0 } }])),
    clients: lines.map((l, i) => ({ kind: 'irq-consumer', line: l.name, trigger: 'edge-both', name: `irq${i}` })),
    timeline: lines.map((l) => ({ at: '1us', do: 'press', line: l.name, hold: '10us' })),
  };
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/**
 * The page's and the worker's JS heap (bytes used), each after a forced GC. The page through its
 * own DevTools session; the worker through the browser session, attached to the worker target
 * (not flattened: messages go through Target.sendMessageToTarget).
 */
async function heapReader(page, browserSession) {
  const pageSession = await page.context().newCDPSession(page);
  let nextId = 1;
  const waiting = new Map();
  browserSession.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message);
    const w = waiting.get(msg.id);
    if (w) {
      waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    }
  });
  let workerSession = null;
  const toWorker = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      browserSession.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method, params }) }).catch(reject);
      setTimeout(() => waiting.has(id) && (waiting.delete(id), reject(new Error(`worker ${method} timed out`))), 30_000);
    });
  return {
    async attachWorker() {
      const { targetInfos } = await browserSession.send('Target.getTargets');
      const worker = targetInfos.find((t) => t.type === 'worker');
      if (!worker) throw new Error('no worker target found');
      ({ sessionId: workerSession } = await browserSession.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false }));
    },
    async sample() {
      await pageSession.send('HeapProfiler.collectGarbage');
      const pageHeap = await pageSession.send('Runtime.getHeapUsage');
      await toWorker('HeapProfiler.collectGarbage');
      const workerHeap = await toWorker('Runtime.getHeapUsage');
      // usedSize is the JS heap; typed arrays (the trace store, the lanes) live in backing stores beside it.
      return {
        page: pageHeap.usedSize,
        pageBacking: pageHeap.backingStorageSize ?? null,
        worker: workerHeap.usedSize,
        workerBacking: workerHeap.backingStorageSize ?? null,
      };
    },
  };
}

/** One scenario at maximum speed for `seconds`, heap sampled every SOAK_SAMPLE_MS (and at the end). */
async function soakOne(page, browserSession, link, title, seconds) {
  await page.goto(link);
  await waitFor(page, (t) => window.__vgpio?.state().info?.title === t, title, 60_000, `"${title}" to load`);
  const heap = await heapReader(page, browserSession);
  await heap.attachWorker();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  if ((await page.evaluate(() => window.__vgpio.state().status)) !== 'running') await page.getByRole('button', { name: 'Run', exact: true }).click();
  const t0 = Date.now();
  const samples = [];
  const take = async () => {
    const h = await heap.sample();
    const s = await page.evaluate(() => ({
      simNs: window.__vgpio.live.view?.now ?? 0,
      events: window.__vgpio.live.view?.processed ?? 0,
      traceTotal: window.__vgpio.live.traceTotal,
      status: window.__vgpio.state().status,
    }));
    const sample = {
      atS: Math.round((Date.now() - t0) / 100) / 10,
      pageHeapMB: mb(h.page),
      pageTypedArraysMB: h.pageBacking === null ? null : mb(h.pageBacking),
      workerHeapMB: mb(h.worker),
      workerTypedArraysMB: h.workerBacking === null ? null : mb(h.workerBacking),
      ...s,
    };
    log(`  ${title}: ${JSON.stringify(sample)}`);
    samples.push(sample);
  };
  await take();
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(Math.min(SOAK_SAMPLE_MS, seconds * 1000 - (Date.now() - t0)));
    await take();
  }
  const xs = samples.map((x) => x.atS / 60);
  const perMin = (key) => {
    const k = slope(xs, samples.map((x) => x[key] * 1024));
    return k === null ? null : Math.round(k);
  };
  const withBacking = samples.every((x) => x.pageTypedArraysMB !== null && x.workerTypedArraysMB !== null);
  return {
    seconds,
    samples,
    pageHeapSlopeKBPerMin: perMin('pageHeapMB'),
    workerHeapSlopeKBPerMin: perMin('workerHeapMB'),
    pageTypedArraysSlopeKBPerMin: withBacking ? perMin('pageTypedArraysMB') : null,
    workerTypedArraysSlopeKBPerMin: withBacking ? perMin('workerTypedArraysMB') : null,
  };
}

const mb = (bytes) => Math.round((bytes / (1024 * 1024)) * 100) / 100;

async function soak(seconds) {
  const started = Date.now();
  sh('npx', ['vite', 'build', '--outDir', OUT, '--emptyOutDir', '--logLevel', 'warn']);
  sh('npm', ['run', '--silent', 'build:cli']);
  const dir = mkdtempSync(join(tmpdir(), 'vgpio-bench-'));
  let preview = null;
  let browser = null;
  try {
    const busyLink = linkFor(dir, 'busy-soak', scenario({ title: 'bench: busy soak', period: '10us', duration: '3600s', pauseAtStart: false }));
    const stormLink = linkFor(dir, 'storm', stormScenario());
    preview = await startPreview();
    browser = await chromium.launch({ ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}), args: CHROMIUM_ARGS });
    const browserSession = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    log(`soak: busy scenario at max speed, ${seconds} s`);
    const busy = await soakOne(page, browserSession, busyLink, 'bench: busy soak', seconds);
    log(`soak: zero-time storm at max speed, ${seconds} s`);
    const storm = await soakOne(page, browserSession, stormLink, 'bench: zero-time storm', seconds);
    const os = await import('node:os');
    const result = {
      soak: { secondsPerScenario: seconds, sampleEveryS: SOAK_SAMPLE_MS / 1000, busy, storm },
      stormLinkChars: stormLink.length - BASE.length,
      details: { pageErrors, cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), benchSeconds: Math.round((Date.now() - started) / 1000) },
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    if (browser) await browser.close().catch(() => {});
    stopPreview(preview);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command to completion (output to stderr, so stdout stays one JSON object). */
function sh(cmd, args) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** A scenario: 64 lines, 8 clock lines with edge-both interrupt consumers. */
function scenario({ title, period, duration, pauseAtStart }) {
  const lines = Array.from({ length: 64 }, (_, i) => (i < 8 ? { name: `clk${i}` } : {}));
  const world = {};
  const clients = [];
  for (let i = 0; i < 8; i++) {
    world[`clk${i}`] = { kind: 'clock', period, start: `${(i + 1) * 10}us` };
    clients.push({ kind: 'irq-consumer', line: `clk${i}`, trigger: 'edge-both', name: `irq${i}` });
  }
  return {
    version: 1,
    title,
    description: 'Generated by scripts/bench-ui.mjs.',
    seed: 1,
    duration,
    device: { lines },
    world,
    clients,
    // A link replays at full speed to the first pause step: stop at once, so the bench picks the speed.
    timeline: pauseAtStart ? [{ at: '1us', do: 'pause' }] : [],
  };
}

/** A share link for a scenario, made by the CLI. */
function linkFor(dir, name, json) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(json, null, 2));
  const link = sh(process.execPath, ['bin/vgpio.mjs', 'link', file, '--base', BASE]).trim();
  if (!link.startsWith(BASE)) throw new Error(`unexpected link from vgpio link: ${link.slice(0, 120)}`);
  return link;
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[i] * 100) / 100;
}

function bundleSizes() {
  const { files, gzipBytes: initialJsGzipBytes } = initialJs(OUT_DIR);
  const initial = files.map((f) => join(OUT_DIR, f.file));
  const assets = readdirSync(join(OUT_DIR, 'assets')).filter((f) => f.endsWith('.js'));
  const workers = assets.filter((f) => /worker/i.test(f)).map((f) => join(OUT_DIR, 'assets', f));
  const terminal = assets.filter((f) => /^TerminalPanel-/.test(f)).map((f) => join(OUT_DIR, 'assets', f));
  const sum = (files) => files.reduce((n, f) => n + gzipBytes(f), 0);
  const rel = (f) => f.slice(OUT_DIR.length + 1);
  // xterm.js must stay in the lazy TerminalPanel chunk: its helper textarea class is a telltale.
  const xtermInInitial = initial.some((f) => readFileSync(f, 'utf8').includes('xterm-helper-textarea'));
  return {
    initialJsGzipBytes,
    initialJsFiles: initial.map(rel),
    workerJsGzipBytes: sum(staticClosure(OUT_DIR, workers)),
    terminalChunkGzipBytes: sum(terminal),
    xtermInInitialBundle: xtermInInitial,
  };
}

/** Starts `vite preview` in its own process group; resolves once it answers. */
async function startPreview() {
  const child = spawn('npx', ['vite', 'preview', '--outDir', OUT, '--port', String(PORT), '--strictPort'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(BASE);
      if (r.ok) return child;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stopPreview(child);
  throw new Error(`vite preview did not answer on ${BASE}:\n${output}`);
}

function stopPreview(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM'); // Its process group: npx and the vite it started.
  } catch {
    // Already gone.
  }
}

/** Installed before any page script: collects long tasks (main thread, > 50 ms). */
function installLongTaskObserver() {
  window.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__benchLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__benchLongTasks = null;
  }
}

/**
 * Waits for a state of the app (read through the test handle), for as long as it takes: a loaded
 * machine only makes it slower, never a failure. A run that really hangs is stopped by the one
 * harness-wide watchdog (WATCHDOG_MS), which names what it was waiting for.
 */
let waitingFor = 'nothing yet';
async function waitFor(page, fn, arg, what) {
  waitingFor = what;
  await page.waitForFunction(fn, arg, { timeout: 0, polling: 100 });
  waitingFor = 'nothing';
}

/** Sends a command to the worker through the test handle (no button whose label may change under the click). */
function command(page, cmd) {
  return page.evaluate((c) => window.__vgpio.client.send(c), cmd);
}

async function steadyRun(page, link) {
  await page.goto(link);
  await waitFor(page, () => window.__vgpio?.state().info?.title === 'bench: 8 clocks at 1 kHz', null, 'the steady scenario to load');
  // The link replays to its pause step at t = 1 us, then pauses.
  await waitFor(page, () => window.__vgpio?.state().status === 'paused' && (window.__vgpio.live.view?.now ?? 0) > 0, null, 'the link replay to pause');
  // Baseline: the same page, paused: the frame intervals this browser and machine give a bare
  // requestAnimationFrame loop of the bench's own (the app's loop sleeps while nothing changes,
  // so it draws no frames to time), and how many frames the app itself drew meanwhile (at most the
  // ten empty frames it waits before it sleeps).
  await page.evaluate(() => void (window.__vgpio.perf.frameMs.length = 0));
  const idleFrames = await page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const out = [];
        let first = 0;
        let last = 0;
        const frame = (now) => {
          if (last) out.push(now - last);
          else first = now;
          last = now;
          if (now - first < ms) requestAnimationFrame(frame);
          else resolve(out);
        };
        requestAnimationFrame(frame);
      }),
    IDLE_MS,
  );
  const pausedAppFrames = await page.evaluate(() => window.__vgpio.perf.frameMs.length);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '1×' });
  await waitFor(page, () => window.__vgpio?.state().speed === 1, null, 'speed 1×');
  const t0 = await page.evaluate(() => window.__vgpio.live.view?.now ?? 0);
  await command(page, { type: 'run' });
  await waitFor(page, () => window.__vgpio?.state().status === 'running', null, 'the run to start');
  // Let it settle (one simulated second of running at 1×, whatever the wall time), then measure.
  await waitFor(page, (from) => (window.__vgpio.live.view?.now ?? 0) >= from + 1e9, t0, 'the run to settle');
  const start = await page.evaluate(() => {
    const p = window.__vgpio.perf;
    p.frameMs.length = 0;
    p.frameWorkMs.length = 0;
    p.eventToPaintMs.length = 0;
    p.applyMs.length = 0;
    p.listenersMs.length = 0;
    return { t: window.__vgpio.live.view?.now ?? 0, trace: window.__vgpio.live.traceTotal, wall: performance.now() };
  });
  const longFrom = start.wall;
  await page.waitForTimeout(STEADY_MS);
  const end = await page.evaluate(() => ({
    frameMs: [...window.__vgpio.perf.frameMs],
    frameWorkMs: [...window.__vgpio.perf.frameWorkMs],
    eventToPaintMs: [...window.__vgpio.perf.eventToPaintMs],
    applyMs: [...window.__vgpio.perf.applyMs],
    listenersMs: [...window.__vgpio.perf.listenersMs],
    t: window.__vgpio.live.view?.now ?? 0,
    trace: window.__vgpio.live.traceTotal,
    wall: performance.now(),
    status: window.__vgpio.state().status,
  }));
  const longTasks = await page.evaluate((f) => (window.__benchLongTasks ?? []).filter((t) => t.start >= f), longFrom);
  await command(page, { type: 'pause' });
  await waitFor(page, () => window.__vgpio.state().status !== 'running', null, 'the steady run to pause');
  const wallS = (end.wall - start.wall) / 1000;
  return {
    // Frame time = the work of one frame (rAF callbacks, style, layout, paint); the interval between
    // frames is reported too (at 60 Hz it cannot go below 16.7 ms, so it is not the target's measure).
    frameP50Ms: percentile(end.frameWorkMs, 50),
    frameP95Ms: percentile(end.frameWorkMs, 95),
    frameIntervalP50Ms: percentile(end.frameMs, 50),
    frameIntervalP95Ms: percentile(end.frameMs, 95),
    eventToPaintP95Ms: percentile(end.eventToPaintMs, 95),
    steady: {
      wallS: Math.round(wallS * 100) / 100,
      frames: end.frameMs.length,
      framesOver20MsPct: end.frameMs.length ? Math.round((1000 * end.frameMs.filter((d) => d > 20).length) / end.frameMs.length) / 10 : null,
      frameMaxMs: end.frameMs.length ? Math.round(Math.max(...end.frameMs) * 10) / 10 : null,
      eventToPaintP50Ms: percentile(end.eventToPaintMs, 50),
      // Where a frame's script time goes: applying the batch, and the panels' frame listeners.
      applyP95Ms: percentile(end.applyMs, 95),
      listenersP95Ms: percentile(end.listenersMs, 95),
      batches: end.eventToPaintMs.length,
      simulatedPerWallSecond: Math.round(((end.t - start.t) / 1e9 / wallS) * 1000) / 1000,
      traceEventsPerSecond: Math.round((end.trace - start.trace) / wallS),
      statusAtEnd: end.status,
      longTasks: longTasks.length,
      longTaskMsTotal: Math.round(longTasks.reduce((n, t) => n + t.duration, 0)),
      idleFrameP50Ms: percentile(idleFrames, 50),
      idleFrameP95Ms: percentile(idleFrames, 95),
      pausedAppFrames,
    },
  };
}

async function traceScroll(page, link) {
  await page.goto(link);
  await waitFor(page, () => window.__vgpio?.state().info?.title === 'bench: busy trace', null, 'the busy scenario to load');
  // A link replays at maximum speed: stop once the trace holds a million rows.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  const t0 = Date.now();
  await waitFor(page, (n) => (window.__vgpio?.live.traceTotal ?? 0) >= n || window.__vgpio?.state().status === 'ended', TRACE_TARGET, `${TRACE_TARGET} trace rows`);
  // Pausing an ended run changes nothing, so no need to read the status first (it may change meanwhile).
  await command(page, { type: 'pause' });
  await waitFor(page, () => window.__vgpio?.state().status !== 'running', null, 'the run to pause');
  const fillS = (Date.now() - t0) / 1000;
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  const scroller = page.getByTestId('trace-scroll');
  await scroller.waitFor({ state: 'visible', timeout: 0 });
  // The worker sends a backlog in batches of bounded size: wait until the page holds all of it, then let the list settle.
  await waitFor(page, () => window.__vgpio.live.trace.total === window.__vgpio.live.traceTotal, null, 'the last trace batches');
  // The list shows them all (its row count is the page's trace, plus the header row).
  await waitFor(
    page,
    () => {
      const grid = document.querySelector('[role="grid"][aria-label="Trace events"]');
      const t = window.__vgpio.live.trace;
      return Number(grid?.getAttribute('aria-rowcount')) === t.filtered.length + 1;
    },
    null,
    'the trace list to show every row',
  );
  const info = await page.evaluate(() => {
    const grid = document.querySelector('[role="grid"][aria-label="Trace events"]');
    const rc = Number(grid?.getAttribute('aria-rowcount') ?? NaN);
    const t = window.__vgpio.live.trace;
    return { traceRows: Number.isFinite(rc) ? rc - 1 : t.total - t.firstSeq, traceTotal: window.__vgpio.live.traceTotal };
  });
  // Scroll from the top to the bottom in steps, one per animation frame, while counting long tasks.
  const scroll = await page.evaluate(async (ms) => {
    const s = document.querySelector('[data-testid="trace-scroll"]');
    s.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 300));
    const from = performance.now();
    let steps = 0;
    await new Promise((done) => {
      const step = () => {
        const f = Math.min(1, (performance.now() - from) / ms);
        s.scrollTop = f * (s.scrollHeight - s.clientHeight);
        steps++;
        if (f < 1) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    // Long-task entries arrive asynchronously: give the observer a moment.
    await new Promise((r) => setTimeout(r, 500));
    const to = performance.now();
    const tasks = window.__benchLongTasks;
    const during = tasks === null ? null : tasks.filter((t) => t.start >= from - 50 && t.start <= to);
    return {
      steps,
      atBottom: s.scrollTop >= s.scrollHeight - s.clientHeight - 2,
      longTasks: during === null ? null : during.length,
      longestTaskMs: during && during.length ? Math.round(Math.max(...during.map((t) => t.duration))) : 0,
    };
  }, SCROLL_MS);
  // Some wheel scrolling too (what a user does), from the bottom upwards.
  const wheel = await (async () => {
    await scroller.hover();
    const from = await page.evaluate(() => performance.now());
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, -600);
      await page.waitForTimeout(25);
    }
    await page.waitForTimeout(500);
    return page.evaluate((f) => (window.__benchLongTasks ?? []).filter((t) => t.start >= f).length, from);
  })();
  return {
    traceScrollLongTasks: scroll.longTasks === null ? null : scroll.longTasks + wheel,
    traceRows: info.traceRows,
    traceScroll: {
      traceTotal: info.traceTotal,
      fillSeconds: Math.round(fillS * 10) / 10,
      scrollMs: SCROLL_MS,
      scrollSteps: scroll.steps,
      reachedBottom: scroll.atBottom,
      scrollTopLongTasks: scroll.longTasks,
      wheelLongTasks: wheel,
      longestTaskMs: scroll.longestTaskMs,
    },
  };
}

/**
 * One search with one worker, then with EXPLORE_POOL, each pool warmed first by running that very
 * search once (workers started, the explorer's code compiled as in a page that has searched before).
 */
async function poolVersusOne(page, source, max) {
  const run = (workers, m) => page.evaluate(([src, n, mm]) => window.__vgpioExplore.run(src, n, mm), [source, workers, m]);
  // Warm-up: V8 is still re-optimizing after one run of the search (a pooled run after a single warm-up
  // showed some 90 re-optimizations and 60 deopts, and took 40 % longer than the next), so each side
  // runs it EXPLORE_WARM times first, alternated; then EXPLORE_ROUNDS alternated measured runs each,
  // and the median run of each side is reported.
  for (let k = 0; k < EXPLORE_WARM; k++) {
    await run(1, max);
    await run(EXPLORE_POOL, max);
  }
  const ones = [];
  const pools = [];
  for (let k = 0; k < EXPLORE_ROUNDS; k++) {
    ones.push(await run(1, max));
    pools.push(await run(EXPLORE_POOL, max));
  }
  const median = (rs) => [...rs].sort((a, b) => a.ms - b.ms)[rs.length >> 1];
  const one = median(ones);
  const pool = median(pools);
  // Both sides ran alternated: one reading of the load average stands for both.
  const load = loadAverage();
  const rate = (r) => Math.round((r.schedules * 1000) / r.ms);
  const round = (x) => Math.round(x * 10) / 10;
  const figures = (r, workers, load) => ({
    workers,
    ms: Math.round(r.ms),
    stop: r.stop,
    schedules: r.schedules,
    ran: r.ran,
    states: r.states,
    schedulesPerSec: rate(r),
    busyMs: r.stats.busyMs.map(round),
    mergeMs: round(r.stats.mergeMs),
    idleMs: round(r.stats.busyMs.reduce((a, b) => a + Math.max(0, r.stats.wallMs - b), 0)),
    slices: r.stats.slices,
    meanSlice: round(r.stats.meanSlice),
    spawned: r.stats.spawned,
    loadAverage: load,
  });
  return {
    // Every measured run, either side, searched the very same space to the very same end.
    sameSearch: [...ones, ...pools].every((r) => r.stop === one.stop && r.exhausted === one.exhausted && r.schedules === one.schedules && r.states === one.states && r.hash === one.hash),
    oneWorker: figures(one, 1, load),
    pool: figures(pool, EXPLORE_POOL, load),
    speedup: Math.round((one.ms / pool.ms) * 100) / 100,
  };
}

function loadAverage() {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/** The library entry's exhaustive search and the big one, each one worker against the pool. */
async function explorePool(page) {
  await page.goto(BASE);
  await page.getByRole('tab', { name: 'Explore', exact: true }).click();
  await page.waitForFunction(() => window.__vgpioExplore !== undefined, null, { timeout: 0 });
  // The simulation stands still meanwhile: the pool alone uses the CPU.
  await page.evaluate(() => window.__vgpio.client.send({ type: 'pause' }));
  const entry = await poolVersusOne(page, EXPLORE_ENTRY, 100_000);
  const big = await poolVersusOne(page, EXPLORE_BIG, EXPLORE_BIG_MAX);
  return {
    entry: EXPLORE_ENTRY,
    ...big,
    sameSearch: big.sameSearch && entry.sameSearch,
    search: `${EXPLORE_BIG.title}, violation, at most ${EXPLORE_BIG_MAX} schedules`,
    library: { entry: EXPLORE_ENTRY, ...entry },
    hardwareConcurrency: await page.evaluate(() => navigator.hardwareConcurrency),
  };
}

/** BENCH_UI_ONLY=explore: builds the app, measures the pool, prints its figures (same field names). */
async function exploreOnly() {
  const started = Date.now();
  sh('npx', ['vite', 'build', '--outDir', OUT, '--emptyOutDir', '--logLevel', 'warn']);
  let preview = null;
  let browser = null;
  try {
    preview = await startPreview();
    browser = await chromium.launch({ ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}), args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    log(`explorer pool only: ${EXPLORE_ENTRY} and three level timers, 1 worker vs ${EXPLORE_POOL}`);
    const explore = await explorePool(page);
    const result = {
      exploreOneWorkerSchedulesPerSec: explore.oneWorker.schedulesPerSec,
      explorePoolSchedulesPerSec: explore.pool.schedulesPerSec,
      explorePoolSpeedup: explore.speedup,
      targets: { explorePoolSpeedup: TARGETS.explorePoolSpeedup },
      pass: { explorePoolSpeedup: explore.sameSearch && explore.speedup >= TARGETS.explorePoolSpeedup },
      details: { explorePool: explore, cpus: os.cpus().length, loadAverage: loadAverage(), benchSeconds: Math.round((Date.now() - started) / 1000) },
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    if (browser) await browser.close().catch(() => {});
    stopPreview(preview);
  }
}

async function main() {
  const started = Date.now();
  sh('npx', ['vite', 'build', '--outDir', OUT, '--emptyOutDir', '--logLevel', 'warn']);
  sh('npm', ['run', '--silent', 'build:cli']);
  const sizes = bundleSizes();

  const dir = mkdtempSync(join(tmpdir(), 'vgpio-bench-'));
  let preview = null;
  let browser = null;
  const cleanup = () => {
    stopPreview(preview);
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:ui: harness error: still waiting for ${waitingFor} after ${WATCHDOG_MS / 60_000} minutes\n`);
    cleanup();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  process.once('SIGTERM', onSignal);
  try {
    const steadyLink = linkFor(dir, 'steady', scenario({ title: 'bench: 8 clocks at 1 kHz', period: '1ms', duration: '120s', pauseAtStart: true }));
    const busyLink = linkFor(dir, 'busy', scenario({ title: 'bench: busy trace', period: '10us', duration: '80ms', pauseAtStart: false }));
    preview = await startPreview();
    browser = await chromium.launch({ ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}), args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(installLongTaskObserver);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));

    log('steady run: 64 lines, 8 clocks at 1 kHz, 1x, 10 s');
    const steady = await steadyRun(page, steadyLink);
    log('trace scroll: ~1,000,000 rows');
    const trace = await traceScroll(page, busyLink);
    log(`explorer pool: ${EXPLORE_ENTRY}, 1 worker vs ${EXPLORE_POOL}`);
    const explore = await explorePool(page);
    await browser.close();
    browser = null;

    const pass = {
      frameP95Ms: steady.frameP95Ms !== null && steady.frameP95Ms <= TARGETS.frameP95Ms,
      eventToPaintP95Ms: steady.eventToPaintP95Ms !== null && steady.eventToPaintP95Ms <= TARGETS.eventToPaintP95Ms,
      traceScrollLongTasks: trace.traceScrollLongTasks === TARGETS.traceScrollLongTasks,
      initialJsGzipBytes: sizes.initialJsGzipBytes <= TARGETS.initialJsGzipBytes,
      explorePoolSpeedup: explore.sameSearch && explore.speedup >= TARGETS.explorePoolSpeedup,
    };
    const result = {
      frameP95Ms: steady.frameP95Ms,
      frameP50Ms: steady.frameP50Ms,
      frameIntervalP95Ms: steady.frameIntervalP95Ms,
      eventToPaintP95Ms: steady.eventToPaintP95Ms,
      traceScrollLongTasks: trace.traceScrollLongTasks,
      traceRows: trace.traceRows,
      initialJsGzipBytes: sizes.initialJsGzipBytes,
      workerJsGzipBytes: sizes.workerJsGzipBytes,
      terminalChunkGzipBytes: sizes.terminalChunkGzipBytes,
      exploreOneWorkerSchedulesPerSec: explore.oneWorker.schedulesPerSec,
      explorePoolSchedulesPerSec: explore.pool.schedulesPerSec,
      explorePoolSpeedup: explore.speedup,
      targets: TARGETS,
      pass,
      allPass: Object.values(pass).every(Boolean),
      details: {
        steady: steady.steady,
        traceScroll: trace.traceScroll,
        explorePool: explore,
        initialJsFiles: sizes.initialJsFiles,
        xtermInInitialBundle: sizes.xtermInInitialBundle,
        pageErrors,
        cpus: (await import('node:os')).cpus().length,
        loadAverage: (await import('node:os')).loadavg().map((l) => Math.round(l * 100) / 100),
        chromium: existsSync(CHROMIUM) ? CHROMIUM : 'playwright',
        benchSeconds: Math.round((Date.now() - started) / 1000),
      },
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    if (browser) await browser.close().catch(() => {});
    cleanup();
  }
}

const soakFor = soakSeconds(process.argv.slice(2));
(soakFor !== null ? soak(soakFor) : ONLY === 'explore' ? exploreOnly() : main()).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench:ui: harness error: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
