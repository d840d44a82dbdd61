import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A tiny WebSocket client for tests (Node 20 has none built in): a raw
 * handshake with whatever headers a test wants (a browser's, a hostile
 * page's), masked text frames out, unmasked frames in.
 */
export interface TestWs {
  /** HTTP status of the handshake answer (101 when accepted). */
  status: number;
  socket: Socket;
  /** Text messages received so far. */
  texts: string[];
  /** Close status received, if any. */
  closeCode: number | null;
  closed: boolean;
  sendText(text: string, opts?: { fragments?: number; masked?: boolean }): void;
  sendRaw(opcode: number, payload: Buffer, masked?: boolean): void;
  /** Resolves once `pred` holds for the received texts (or rejects after `ms`). */
  until(pred: (texts: string[]) => boolean, ms?: number): Promise<void>;
}

export function maskedFrame(opcode: number, payload: Buffer, fin = true, masked = true): Buffer {
  const n = payload.length;
  const len = n < 126 ? Buffer.from([n]) : n < 0x10000 ? Buffer.from([126, n >> 8, n & 0xff]) : Buffer.concat([Buffer.from([127]), bigLen(n)]);
  len[0] = (len[0] as number) | (masked ? 0x80 : 0);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < n; i++) body[i] = (body[i] as number) ^ (key[i & 3] as number);
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode]), len, masked ? key : Buffer.alloc(0), body]);
}

function bigLen(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export function openWs(port: number, path: string, headers: Record<string, string>): Promise<TestWs> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    const waiters: (() => void)[] = [];
    const ws: TestWs = {
      status: 0,
      socket,
      texts: [],
      closeCode: null,
      closed: false,
      sendText(text, opts = {}) {
        const buf = Buffer.from(text, 'utf8');
        const k = opts.fragments ?? 1;
        const step = Math.ceil(buf.length / k);
        for (let i = 0; i < k; i++) socket.write(maskedFrame(i === 0 ? 1 : 0, buf.subarray(i * step, (i + 1) * step), i === k - 1, opts.masked ?? true));
      },
      sendRaw(opcode, payload, masked = true) {
        socket.write(maskedFrame(opcode, payload, true, masked));
      },
      until(pred, ms = 5000) {
        return new Promise((ok, fail) => {
          const t = setTimeout(() => fail(new Error(`timed out; got ${ws.texts.length} texts, closed ${ws.closed}`)), ms);
          const check = (): void => {
            if (pred(ws.texts)) {
              clearTimeout(t);
              ok();
            } else waiters.push(check);
          };
          check();
        });
      },
    };
    let buf = Buffer.alloc(0);
    let handshaken = false;
    const wake = (): void => {
      for (const w of waiters.splice(0)) w();
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!handshaken) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        ws.status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
        buf = buf.subarray(end + 4);
        handshaken = true;
        resolve(ws);
      }
      for (;;) {
        if (buf.length < 2) break;
        const op = (buf[0] as number) & 0x0f;
        let len = (buf[1] as number) & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) break;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) break;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) break;
        const payload = buf.subarray(at, at + len);
        buf = buf.subarray(at + len);
        if (op === 1) ws.texts.push(payload.toString('utf8'));
        if (op === 8) ws.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (op === 10) ws.texts.push(`pong:${payload.toString('utf8')}`);
      }
      wake();
    });
    socket.on('close', () => {
      ws.closed = true;
      wake();
      if (!handshaken) resolve(ws);
    });
    socket.on('error', reject);
    const lines = [`GET ${path} HTTP/1.1`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}
