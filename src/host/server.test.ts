import { statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import { GUEST_BOARD } from './guest-scenario';
import { koffiAvailable } from './libc';
import { RealtimeDevice } from './realtime';
import { VhostUserServer } from './server';
import { decodeHeader, encodeRequest, HEADER_SIZE, Req } from './vhost-user';

/** The socket side for real (koffi's recvmsg and poll), with Node sockets as the front end. */
const ffi = koffiAvailable();
if (!ffi.ok) process.stdout.write(`[server.test] skipped: ${ffi.reason}\n`);

function device(): RealtimeDevice {
  const v = validateScenario(GUEST_BOARD);
  if (!v.ok) throw new Error(v.error);
  const r = resolveScenario(v.value);
  if (!r.ok) throw new Error(r.error);
  return new RealtimeDevice(r.value);
}

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.once('error', reject);
  });
}

function request(s: Socket, req: number): Promise<Uint8Array> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= HEADER_SIZE && buf.length >= HEADER_SIZE + decodeHeader(buf).size) {
        s.off('data', onData);
        resolve(new Uint8Array(buf));
      }
    };
    s.on('data', onData);
    s.write(encodeRequest(req, new Uint8Array(0)));
  });
}

const closed = (s: Socket): Promise<void> => new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe.skipIf(!ffi.ok)('vhost-user server socket', () => {
  it('lives in a private directory, refuses a second front end, drops a hostile one, and takes the next after a disconnect', async () => {
    const rt = device();
    const server = new VhostUserServer(rt);
    await server.listen();
    try {
      expect(statSync(server.dir).mode & 0o777).toBe(0o700);
      const a = await open(server.path);
      const f = await request(a, Req.GET_FEATURES);
      expect(new DataView(f.buffer).getBigUint64(HEADER_SIZE, true) & 1n).toBe(1n);

      const b = await open(server.path);
      await closed(b);
      expect(server.stats.refused).toBe(1);

      // Garbage: a header announcing a 1 MB payload. The back end hangs up.
      a.write(new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 16, 0]));
      await closed(a);
      await new Promise((r) => setTimeout(r, 50));
      expect(server.stats.disconnects.at(-1)).toMatch(/payload/);

      const c = await open(server.path);
      const q = await request(c, Req.GET_QUEUE_NUM);
      expect(new DataView(q.buffer).getBigUint64(HEADER_SIZE, true)).toBe(2n);
      c.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect(server.stats.connections).toBe(2);
      expect(server.connected).toBe(false);
    } finally {
      rt.close();
      server.close();
    }
  });
});
