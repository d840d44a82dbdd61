/**
 * The vhost-user wire format (QEMU docs/interop/vhost-user.rst): a 12-byte
 * header (request, flags, payload size) and a payload whose shape depends on
 * the request. Decoding is total: any byte string gives either a message or a
 * reason, never an exception, so a hostile front end cannot crash the host.
 */

export const VHOST_USER_VERSION = 0x1;
export const FLAG_VERSION_MASK = 0x3;
export const FLAG_REPLY = 0x4;
export const FLAG_NEED_REPLY = 0x8;
export const HEADER_SIZE = 12;
/** The largest payload accepted: a memory table of 8 regions is 8 + 8*32 bytes; config space at most 256. */
export const MAX_PAYLOAD = 4096;
export const MAX_REGIONS = 8;
/** SET_VRING_KICK / CALL / ERR: the payload's bit 8 says "no fd follows" (polling mode). */
export const VRING_NOFD_MASK = 0x100;
export const VRING_IDX_MASK = 0xff;

export const Req = {
  GET_FEATURES: 1,
  SET_FEATURES: 2,
  SET_OWNER: 3,
  RESET_OWNER: 4,
  SET_MEM_TABLE: 5,
  SET_LOG_BASE: 6,
  SET_LOG_FD: 7,
  SET_VRING_NUM: 8,
  SET_VRING_ADDR: 9,
  SET_VRING_BASE: 10,
  GET_VRING_BASE: 11,
  SET_VRING_KICK: 12,
  SET_VRING_CALL: 13,
  SET_VRING_ERR: 14,
  GET_PROTOCOL_FEATURES: 15,
  SET_PROTOCOL_FEATURES: 16,
  GET_QUEUE_NUM: 17,
  SET_VRING_ENABLE: 18,
  SEND_RARP: 19,
  NET_SET_MTU: 20,
  SET_BACKEND_REQ_FD: 21,
  IOTLB_MSG: 22,
  SET_VRING_ENDIAN: 23,
  GET_CONFIG: 24,
  SET_CONFIG: 25,
  GET_MAX_MEM_SLOTS: 36,
  SET_STATUS: 39,
  GET_STATUS: 40,
} as const;

export const REQ_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Req).map(([k, v]) => [v, k]));

export function reqName(req: number): string {
  return REQ_NAMES[req] ?? `UNKNOWN_${req}`;
}

/** Virtio feature bit the vhost-user protocol reuses for "protocol features are negotiable". */
export const F_PROTOCOL_FEATURES = 30;
/** Protocol feature bits. */
export const PROTOCOL_F_MQ = 0;
export const PROTOCOL_F_REPLY_ACK = 3;
export const PROTOCOL_F_CONFIG = 9;

export interface Region {
  gpa: bigint;
  size: bigint;
  uaddr: bigint;
  offset: bigint;
}

export interface Header {
  request: number;
  flags: number;
  size: number;
}

export type Message =
  | { kind: 'none'; request: number }
  | { kind: 'u64'; request: number; value: bigint }
  | { kind: 'state'; request: number; index: number; num: number }
  | { kind: 'addr'; request: number; index: number; flags: number; desc: bigint; used: bigint; avail: bigint; log: bigint }
  | { kind: 'mem'; request: number; regions: Region[] }
  | { kind: 'config'; request: number; offset: number; size: number; flags: number; data: Uint8Array };

export type Decoded = { ok: true; msg: Message } | { ok: false; reason: string };

export function decodeHeader(b: Uint8Array): Header {
  const v = new DataView(b.buffer, b.byteOffset, HEADER_SIZE);
  return { request: v.getUint32(0, true), flags: v.getUint32(4, true), size: v.getUint32(8, true) };
}

/** Decodes one payload; `p` holds exactly `size` bytes. */
export function decodePayload(h: Header, p: Uint8Array): Decoded {
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const need = (n: number): string | null => (p.length < n ? `${reqName(h.request)}: payload is ${p.length} bytes, needs ${n}` : null);
  const r = h.request;
  switch (r) {
    case Req.GET_FEATURES:
    case Req.GET_PROTOCOL_FEATURES:
    case Req.SET_OWNER:
    case Req.RESET_OWNER:
    case Req.GET_QUEUE_NUM:
    case Req.GET_MAX_MEM_SLOTS:
    case Req.GET_STATUS:
      return { ok: true, msg: { kind: 'none', request: r } };
    case Req.SET_FEATURES:
    case Req.SET_PROTOCOL_FEATURES:
    case Req.SET_VRING_KICK:
    case Req.SET_VRING_CALL:
    case Req.SET_VRING_ERR:
    case Req.SET_STATUS: {
      const bad = need(8);
      if (bad) return { ok: false, reason: bad };
      return { ok: true, msg: { kind: 'u64', request: r, value: v.getBigUint64(0, true) } };
    }
    case Req.SET_VRING_NUM:
    case Req.SET_VRING_BASE:
    case Req.GET_VRING_BASE:
    case Req.SET_VRING_ENABLE: {
      const bad = need(8);
      if (bad) return { ok: false, reason: bad };
      return { ok: true, msg: { kind: 'state', request: r, index: v.getUint32(0, true), num: v.getUint32(4, true) } };
    }
    case Req.SET_VRING_ADDR: {
      const bad = need(40);
      if (bad) return { ok: false, reason: bad };
      return {
        ok: true,
        msg: {
          kind: 'addr',
          request: r,
          index: v.getUint32(0, true),
          flags: v.getUint32(4, true),
          desc: v.getBigUint64(8, true),
          used: v.getBigUint64(16, true),
          avail: v.getBigUint64(24, true),
          log: v.getBigUint64(32, true),
        },
      };
    }
    case Req.SET_MEM_TABLE: {
      const bad = need(8);
      if (bad) return { ok: false, reason: bad };
      const n = v.getUint32(0, true);
      if (n === 0 || n > MAX_REGIONS) return { ok: false, reason: `SET_MEM_TABLE: ${n} regions (1..${MAX_REGIONS} allowed)` };
      const bad2 = need(8 + 32 * n);
      if (bad2) return { ok: false, reason: bad2 };
      const regions: Region[] = [];
      for (let i = 0; i < n; i++) {
        const o = 8 + 32 * i;
        regions.push({ gpa: v.getBigUint64(o, true), size: v.getBigUint64(o + 8, true), uaddr: v.getBigUint64(o + 16, true), offset: v.getBigUint64(o + 24, true) });
      }
      return { ok: true, msg: { kind: 'mem', request: r, regions } };
    }
    case Req.GET_CONFIG:
    case Req.SET_CONFIG: {
      const bad = need(12);
      if (bad) return { ok: false, reason: bad };
      const size = v.getUint32(4, true);
      if (size > 256) return { ok: false, reason: `${reqName(r)}: config size ${size} is larger than 256` };
      if (p.length < 12 + size) return { ok: false, reason: `${reqName(r)}: payload is ${p.length} bytes for ${size} config bytes` };
      return { ok: true, msg: { kind: 'config', request: r, offset: v.getUint32(0, true), size, flags: v.getUint32(8, true), data: p.slice(12, 12 + size) } };
    }
    default:
      return { ok: false, reason: `unsupported request ${reqName(r)}` };
  }
}

function header(request: number, size: number): Uint8Array {
  const b = new Uint8Array(HEADER_SIZE + size);
  const v = new DataView(b.buffer);
  v.setUint32(0, request, true);
  v.setUint32(4, VHOST_USER_VERSION | FLAG_REPLY, true);
  v.setUint32(8, size, true);
  return b;
}

export function replyU64(request: number, value: bigint): Uint8Array {
  const b = header(request, 8);
  new DataView(b.buffer).setBigUint64(HEADER_SIZE, value, true);
  return b;
}

export function replyState(request: number, index: number, num: number): Uint8Array {
  const b = header(request, 8);
  const v = new DataView(b.buffer);
  v.setUint32(HEADER_SIZE, index, true);
  v.setUint32(HEADER_SIZE + 4, num, true);
  return b;
}

export function replyConfig(request: number, offset: number, flags: number, data: Uint8Array): Uint8Array {
  const b = header(request, 12 + data.length);
  const v = new DataView(b.buffer);
  v.setUint32(HEADER_SIZE, offset, true);
  v.setUint32(HEADER_SIZE + 4, data.length, true);
  v.setUint32(HEADER_SIZE + 8, flags, true);
  b.set(data, HEADER_SIZE + 12);
  return b;
}

/** A request as the front end would send it (tests and the fuzzer build messages with it). */
export function encodeRequest(request: number, payload: Uint8Array, flags = VHOST_USER_VERSION): Uint8Array {
  const b = new Uint8Array(HEADER_SIZE + payload.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, request, true);
  v.setUint32(4, flags, true);
  v.setUint32(8, payload.length, true);
  b.set(payload, HEADER_SIZE);
  return b;
}
