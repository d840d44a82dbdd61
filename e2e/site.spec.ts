import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { INITIAL_JS_BUDGET, initialJs } from '../scripts/initial-js.mjs';

// The built site as people host it: a plain static server, under a sub-path, with the COOP/COEP
// headers; and offline once loaded (the service worker's copy). The build is the one the Playwright
// web server made (E2E_OUT), served here by a small server of the test's own, which the offline
// test stops outright.

test.describe.configure({ timeout: 120_000 });

const OUT = resolve(process.env.E2E_OUT ?? 'dist');
const BASE = '/vgpio-lab/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

interface Site {
  url: string;
  /** Requests that found nothing (404). */
  missing: string[];
  /** Stops the server and cuts every open connection: the network is gone. */
  stop(): Promise<void>;
}

/** Serves OUT under BASE on a free port, as a static host would (index.html for the directory). */
async function serve(): Promise<Site> {
  const missing: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = path.startsWith(BASE) ? path.slice(BASE.length) : null;
    const file = rel === null ? null : join(OUT, normalize(rel === '' ? 'index.html' : rel));
    if (!file || !file.startsWith(OUT) || !existsSync(file) || !statSync(file).isFile()) {
      missing.push(path);
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    missing,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function runsCalmBoard(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board', { timeout: 30_000 });
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  await expect(page.getByTestId('trace-hash')).not.toHaveText('-');
  // Still cross-origin isolated (the COOP/COEP headers reached the page).
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
}

test('the production build works from a sub-path of a plain static server', async ({ page }) => {
  const site = await serve();
  try {
    await page.goto(site.url);
    await runsCalmBoard(page);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)'); // The CSS loaded.
    // The manifest and its icon are found relative to the page.
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href;
      const m = (await (await fetch(href)).json()) as { start_url: string; icons: { src: string }[] };
      const icon = await fetch(new URL(m.icons[0]!.src, href));
      return { href, start: m.start_url, icon: icon.status };
    });
    expect(manifest.href).toBe(`${site.url}manifest.webmanifest`);
    expect(manifest.start).toBe('./');
    expect(manifest.icon).toBe(200);
    expect(site.missing).toEqual([]);
  } finally {
    await site.stop();
  }
});

test('the Explore panel and its pool workers load from the sub-path and find a counterexample', async ({ page }) => {
  const site = await serve();
  try {
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board', { timeout: 30_000 });
    await page.getByRole('tab', { name: 'Explore', exact: true }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(page.getByTestId('explore-result')).toHaveAttribute('data-stop', 'found', { timeout: 60_000 });
    // The pool worker is its own built file, fetched relative to the page.
    const workers = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /explore\.worker-.*\.js$/.test(p)));
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((p) => p.startsWith('/vgpio-lab/assets/'))).toBe(true);
    expect(site.missing).toEqual([]);
  } finally {
    await site.stop();
  }
});

test('once loaded, the app starts again offline (service worker), still cross-origin isolated', async ({ page, context }) => {
  const site = await serve();
  try {
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
    // The service worker installed (every built file kept) and controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    const kept = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith('vgpio-lab-'))!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    expect(kept).toContain('/vgpio-lab/index.html');
    expect(kept.some((p) => /\/assets\/sim\.worker-.*\.js$/.test(p))).toBe(true);
    expect(kept.some((p) => /\/assets\/TerminalPanel-.*\.js$/.test(p))).toBe(true);
    expect(kept.some((p) => /\/assets\/explore\.worker-.*\.js$/.test(p))).toBe(true);
  } finally {
    await site.stop();
  }
  // No network at all: the browser is offline and the server is gone.
  await context.setOffline(true);
  await page.reload();
  await runsCalmBoard(page);
  // The lazily loaded terminal comes from the cache too.
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Guest shell' })).toBeVisible();
  await context.setOffline(false);
});

// Measured as `npm run bench:ui` measures it (scripts/initial-js.mjs), on the build this run serves.
test('the initial JS stays within its budget of 120 KiB gzipped (issue #12)', () => {
  const { files, gzipBytes } = initialJs(OUT);
  const listing = files.map((f) => `${f.gzipBytes} ${f.file}`).join('\n');
  expect(gzipBytes, `initial JS is ${gzipBytes} B gzipped, over ${INITIAL_JS_BUDGET} B:\n${listing}`).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  // The scenarios themselves are the worker's: the page lists their titles only (no description
  // of any built-in scenario, explore entries included, is in the JS the page starts with).
  const initial = files.map((f) => readFileSync(join(OUT, f.file), 'utf8')).join('\n');
  const dir = resolve('src/sim/scenario/library');
  const described = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, description: (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { description: string }).description }));
  expect(described.length).toBeGreaterThan(30);
  expect(described.filter((d) => initial.includes(d.description.slice(0, 80))).map((d) => d.f)).toEqual([]);
});
