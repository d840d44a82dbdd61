import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import { TK } from '../sim/trace/kinds';
import { decodeMessage, type Message } from '../worker/protocol';
import { GUEST_BOARD } from './guest-scenario';
import { distProblem, LiveServer, stripControls } from './live-server';
import { realtimeInfo } from './live-view';
import { RealtimeDevice } from './realtime';
import { openWs, type TestWs } from './ws-client.test-util';

/** The live app's server without QEMU: the real-time device on the guest board, a fake dist/, a raw WebSocket client. */
function setup(): { rt: RealtimeDevice; dist: string } {
  const v = validateScenario(GUEST_BOARD);
  if (!v.ok) throw new Error(v.error);
  const r = resolveScenario(v.value, { traceEnabled: true, traceCapacity: 10_000 });
  if (!r.ok) throw new Error(r.error);
  const rt = new RealtimeDevice(r.value);
  const dist = mkdtempSync(join(tmpdir(), 'vgpio-live-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'a.js'), 'export {};');
  writeFileSync(join(tmpdir(), 'vgpio-live-secret.txt'), 'secret');
  return { rt, dist };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function started(): Promise<{ server: LiveServer; rt: RealtimeDevice }> {
  const { rt, dist } = setup();
  const v = validateScenario(GUEST_BOARD);
  if (!v.ok) throw new Error(v.error);
  const server = new LiveServer({ distDir: dist, rt, info: realtimeInfo(v.value, [...rt.wire.level], 'gpiomon -c gpiochip0 3') });
  await server.listen();
  cleanups.push(() => server.close(), () => rt.close(), () => rmSync(dist, { recursive: true, force: true }));
  return { server, rt };
}

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const messages = (ws: TestWs): Message[] => ws.texts.map((t) => decodeMessage(t)).filter((m): m is Message => m !== null);
const batches = (ws: TestWs): Extract<Message, { type: 'batch' }>[] => messages(ws).filter((m): m is Extract<Message, { type: 'batch' }> => m.type === 'batch');

async function page(server: LiveServer, over: Record<string, string> = {}, token = server.token): Promise<TestWs> {
  const ws = await openWs(server.port, `/live?token=${token}`, { Host: `127.0.0.1:${server.port}`, Origin: server.origin, ...over });
  cleanups.push(() => void ws.socket.destroy());
  return ws;
}

describe('vgpio guest --ui: the live server', () => {
  it('prints a page URL on 127.0.0.1 with the port and the token in the fragment only', async () => {
    const { server } = await started();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#live=${server.port}.${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves the built app, and nothing outside dist/ or for another Host', async () => {
    const { server } = await started();
    const index = await get(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>app</title>');
    expect((await get(server.port, '/assets/a.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(server.port, '/../vgpio-live-secret.txt')).status).toBe(404);
    expect((await get(server.port, '/%2e%2e/vgpio-live-secret.txt')).status).toBe(404);
    expect((await get(server.port, '/nothing.js')).status).toBe(404);
    // DNS rebinding: a page of another name resolving to 127.0.0.1 gets nothing.
    expect((await get(server.port, '/', `evil.example:${server.port}`)).status).toBe(421);
  });

  it('refuses a WebSocket without the token, with a wrong token, from another Origin or Host', async () => {
    const { server } = await started();
    const noToken = await openWs(server.port, '/live', { Host: `127.0.0.1:${server.port}`, Origin: server.origin });
    expect(noToken.status).toBe(403);
    expect((await page(server, {}, 'x'.repeat(32))).status).toBe(403);
    expect((await page(server, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await page(server, { Origin: `http://localhost:${server.port}` })).status).toBe(403);
    expect((await page(server, { Host: `localhost:${server.port}` })).status).toBe(403);
    expect(server.refused).toBe(5);
    expect(server.connections).toBe(0);
    const ok = await page(server);
    expect(ok.status).toBe(101);
  });

  it('sends the page ready and loaded, then one batch per frame asked for, with the device view and the trace', async () => {
    const { server, rt } = await started();
    const ws = await page(server);
    await ws.until((t) => t.length >= 2);
    const [ready, loaded] = messages(ws);
    expect(ready).toEqual({ type: 'ready', protocol: 1 });
    if (loaded?.type !== 'loaded') throw new Error('no loaded message');
    expect(loaded.info.title).toBe('Real-guest board (live: real Linux guest)');
    expect(loaded.info.lines.map((l) => l.name)).toEqual(['led0', 'led1', 'button', 'door', 'relay', 'sensor-a', 'sensor-b', 'clock']);
    expect(loaded.info.clients).toEqual([]);
    expect(batches(ws)).toHaveLength(0);
    ws.sendText(JSON.stringify({ type: 'frame' }));
    await ws.until(() => batches(ws).length === 1);
    const b = batches(ws)[0]!;
    expect(b.status).toBe('running');
    expect(b.view.lines.level).toBeInstanceOf(Uint8Array);
    expect([...b.view.lines.level]).toEqual([...rt.wire.level]);
    // No device session yet (no guest): nothing has a direction or is armed.
    expect([...b.view.lines.direction]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(b.view.queues).toEqual([]);
    // No second batch until the page asks again.
    await new Promise((r) => setTimeout(r, 150));
    expect(batches(ws)).toHaveLength(1);
  });

  it("carries out the page's drive button on the device's wire, traced as a live step, and refuses what is not a world action", async () => {
    const { server, rt } = await started();
    const ws = await page(server);
    await ws.until((t) => t.length >= 2);
    expect(rt.wire.level[4]).toBe(0);
    const steps = rt.trace.count(TK.Step);
    ws.sendText(JSON.stringify({ type: 'action', action: { do: 'drive', line: 4, level: 1 } }), { fragments: 3 });
    ws.sendText(JSON.stringify({ type: 'frame' }));
    await ws.until(() => batches(ws).length === 1);
    expect(rt.wire.level[4]).toBe(1);
    expect(rt.trace.count(TK.Step)).toBe(steps + 1);
    expect(batches(ws)[0]!.view.lines.level[4]).toBe(1);
    ws.sendText(JSON.stringify({ type: 'action', action: { do: 'irq-type', client: 0, trigger: 3 } }));
    ws.sendText(JSON.stringify({ type: 'action', action: { do: 'drive', line: 99, level: 1 } }));
    ws.sendText(JSON.stringify({ type: 'action', action: { do: 'drive', line: 1, level: 7 } }));
    ws.sendText(JSON.stringify({ type: 'step' }));
    await ws.until(() => messages(ws).filter((m) => m.type === 'error').length === 4);
    expect(messages(ws).filter((m) => m.type === 'error').map((m) => (m as { message: string }).message)).toEqual([
      'Not done: action.do: expected one of drive, release, pulse, press, clock, assert (the guest is the driver)',
      'Not done: line 99 does not exist (the device has 8 lines)',
      'Not done: action.level: expected 0 or 1',
      'Not available in a live recording of a real guest: it runs on the wall clock and cannot be paused, stepped, replayed, re-configured or shared.',
    ]);
    expect(rt.trace.count(TK.Step)).toBe(steps + 1);
  });

  it("sends the guest console to the page's terminal, without control characters", async () => {
    const { server } = await started();
    server.console('early line\n');
    const ws = await page(server);
    server.console('gpiomon \x1b[31mred\x1b[0m\n');
    ws.sendText(JSON.stringify({ type: 'frame' }));
    await ws.until(() => batches(ws).length === 1);
    expect(batches(ws)[0]!.terminal).toBe('early line\r\ngpiomon [31mred[0m\r\n');
  });

  it('ends each page with a last batch whose status is ended, and closes', async () => {
    const { server } = await started();
    const ws = await page(server);
    await ws.until((t) => t.length >= 2);
    await server.close();
    await ws.until(() => ws.closed);
    expect(batches(ws).map((b) => b.status)).toEqual(['ended']);
    expect(ws.closeCode).toBe(1000);
  });

  it('drops a page that sends unmasked, binary or oversized frames, and answers ping', async () => {
    const { server } = await started();
    const a = await page(server);
    a.sendRaw(9, Buffer.from('hi'));
    await a.until((t) => t.includes('pong:hi'));
    a.sendText('{"type":"frame"}', { masked: false });
    await a.until(() => a.closed);
    expect(a.closeCode).toBe(1002);
    const b = await page(server);
    b.sendRaw(2, Buffer.from([1, 2, 3]));
    await b.until(() => b.closed);
    expect(b.closeCode).toBe(1003);
    const c = await page(server);
    c.sendRaw(1, Buffer.alloc((1 << 20) + 1, 0x20));
    await c.until(() => c.closed);
    expect(c.closeCode).toBe(1009);
    expect(server.connections).toBe(0);
  });
});

describe('vgpio guest --ui: helpers', () => {
  it('says how to build the app when dist/ has none', () => {
    expect(distProblem('/nonexistent/dist')).toBe('the app is not built (no /nonexistent/dist/index.html): run `npx vite build` (or `npm run build`) in the vgpio-lab checkout first');
  });
  it('turns console text into terminal lines without controls', () => {
    expect(stripControls('a\r\nb\n\x07c\x9b')).toBe('a\r\nb\r\nc');
  });
});
