import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * A minimal WebSocket server side (RFC 6455) for text messages: enough to
 * talk to the app's own page on 127.0.0.1 (the live real-guest source), and
 * no dependency. Client frames must be masked (section 5.1); fragments are
 * joined (5.4); ping is answered (5.5.2); binary data, oversized messages and
 * protocol errors close the connection with the matching status (7.4.1).
 */

/** The fixed GUID the handshake's accept key is derived with (RFC 6455, section 1.3). */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
const CLOSE = { normal: 1000, protocolError: 1002, unsupportedData: 1003, tooBig: 1009 } as const;
/** The page only sends small commands: anything bigger is not our page. */
export const MAX_MESSAGE_BYTES = 1 << 20;

export interface WsConnection {
  send(text: string): void;
  close(code?: number): void;
  onMessage: (text: string) => void;
  onClose: () => void;
  readonly closed: boolean;
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** Answers an upgrade request that was already judged acceptable; null (socket ended with 400) when it is not a valid handshake. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): WsConnection | null {
  const key = req.headers['sec-websocket-key'];
  const ok = req.method === 'GET' && String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' && req.headers['sec-websocket-version'] === '13' && typeof key === 'string' && /^[A-Za-z0-9+/]{22}==$/.test(key);
  if (!ok) {
    refuse(socket, 400, 'Bad Request');
    return null;
  }
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
  return new Connection(socket, head);
}

/** Ends an upgrade request with an HTTP status (no body worth reading). */
export function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** One frame, unmasked (a server never masks, section 5.1). */
export function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (n < 126) head[1] = n;
  else if (n < 0x10000) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

class Connection implements WsConnection {
  onMessage: (text: string) => void = () => {};
  onClose: () => void = () => {};
  closed = false;
  private readonly _socket: Duplex;
  private _buf: Buffer;
  private _parts: Buffer[] = [];
  private _partsLen = 0;

  constructor(socket: Duplex, head: Buffer) {
    this._socket = socket;
    this._buf = Buffer.from(head);
    socket.on('data', (d: Buffer) => {
      this._buf = this._buf.length ? Buffer.concat([this._buf, d]) : d;
      this._parse();
    });
    socket.on('close', () => this._gone());
    socket.on('error', () => this._gone());
    if (this._buf.length) queueMicrotask(() => this._parse());
  }

  send(text: string): void {
    if (!this.closed) this._socket.write(frame(OP.text, Buffer.from(text, 'utf8')));
  }

  close(code: number = CLOSE.normal): void {
    if (this.closed) return;
    const p = Buffer.alloc(2);
    p.writeUInt16BE(code, 0);
    this._socket.end(frame(OP.close, p));
    this._gone();
  }

  private _gone(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private _parse(): void {
    while (!this.closed) {
      const b = this._buf;
      if (b.length < 2) return;
      const fin = (b[0] as number) & 0x80;
      const rsv = (b[0] as number) & 0x70;
      const op = (b[0] as number) & 0x0f;
      const masked = (b[1] as number) & 0x80;
      let len = (b[1] as number) & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.close(CLOSE.tooBig);
        len = Number(big);
        at = 10;
      }
      if (rsv || !masked) return this.close(CLOSE.protocolError);
      if (len > MAX_MESSAGE_BYTES || this._partsLen + len > MAX_MESSAGE_BYTES) return this.close(CLOSE.tooBig);
      if (b.length < at + 4 + len) return;
      const mask = b.subarray(at, at + 4);
      const payload = Buffer.from(b.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < len; i++) payload[i] = (payload[i] as number) ^ (mask[i & 3] as number);
      this._buf = b.subarray(at + 4 + len);
      if (!this._frame(op, !!fin, payload)) return;
    }
  }

  /** Handles one frame; false when the connection ended. */
  private _frame(op: number, fin: boolean, payload: Buffer): boolean {
    switch (op) {
      case OP.ping:
        this._socket.write(frame(OP.pong, payload));
        return true;
      case OP.pong:
        return true;
      case OP.close:
        this.close(CLOSE.normal);
        return false;
      case OP.binary:
        this.close(CLOSE.unsupportedData);
        return false;
      case OP.text:
      case OP.continuation: {
        if ((op === OP.text) !== (this._parts.length === 0)) {
          this.close(CLOSE.protocolError);
          return false;
        }
        this._parts.push(payload);
        this._partsLen += payload.length;
        if (!fin) return true;
        const text = Buffer.concat(this._parts).toString('utf8');
        this._parts = [];
        this._partsLen = 0;
        this.onMessage(text);
        return !this.closed;
      }
      default:
        this.close(CLOSE.protocolError);
        return false;
    }
  }
}
