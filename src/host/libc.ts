import { createRequire } from 'node:module';
import type * as KoffiModule from 'koffi';

/**
 * The few libc calls Node lacks, through koffi (an FFI package that ships
 * prebuilt binaries; pinned to 2.16.x): recvmsg with SCM_RIGHTS (vhost-user
 * passes every memory region and eventfd as a file descriptor), mmap of those
 * regions into one reservation, poll on a thread-pool thread, eventfd. Loaded
 * lazily, so the rest of the CLI works where koffi is absent.
 */

type Koffi = typeof KoffiModule;

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;
export const POLLIN = 0x001;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;
export const EAGAIN = 11;
export const EINTR = 4;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const MSG_DONTWAIT = 0x40;
const MSG_CTRUNC = 0x08;
const MSG_CMSG_CLOEXEC = 0x40000000;
const EFD_CLOEXEC = 0o2000000;
const EFD_NONBLOCK = 0o4000;

/** Bytes a recvmsg call can take at once, and fds per message (vhost-user sends at most 8). */
const RECV_MAX = 4096;
const CONTROL_LEN = 256;

export interface RecvResult {
  /** Bytes read; 0 at end of stream; -1 with `errno` on failure. */
  n: number;
  errno: number;
  fds: number[];
  /** The kernel dropped descriptors that did not fit. */
  truncated: boolean;
}

export interface Libc {
  readonly koffi: Koffi;
  /** Non-blocking recvmsg of up to `max` bytes into `into` (a view on the returned bytes' copy). */
  recvmsg(fd: number, max: number): RecvResult & { data: Uint8Array };
  /** Reserves `size` bytes of address space as private zero pages; returns the base and an ArrayBuffer over it. */
  reserve(size: number): { base: bigint; buffer: ArrayBuffer } | null;
  /** Maps `len` bytes of `fd` at `offset` over base+at (MAP_SHARED|MAP_FIXED); false on failure. */
  mapFixed(base: bigint, at: number, len: number, fd: number, offset: bigint): boolean;
  /** Turns [base+at, +len) back into private zero pages (never unmapped: views stay valid). */
  blank(base: bigint, at: number, len: number): boolean;
  eventfd(): number;
  close(fd: number): void;
  errno(): number;
  /** poll(2) on a thread-pool thread; calls back with the revents per fd. */
  pollAsync(fds: number[], timeoutMs: number, cb: (revents: number[] | null, errno: number) => void): void;
}

let cached: Libc | null = null;
let loadError = '';

export function koffiAvailable(): { ok: true } | { ok: false; reason: string } {
  try {
    loadLibc();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

export function loadLibc(): Libc {
  if (cached) return cached;
  if (loadError) throw new Error(loadError);
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (e) {
    loadError = `the vhost-user back end needs the optional dependency koffi 2.16.x (npm install koffi@~2.16.0): ${(e as Error).message.split('\n')[0]}`;
    throw new Error(loadError);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    loadError = `the vhost-user back end runs on Linux x86-64 only (this is ${process.platform}/${process.arch})`;
    throw new Error(loadError);
  }
  const lib = koffi.load('libc.so.6');
  const malloc = lib.func('void *malloc(size_t size)');
  const recvmsgFn = lib.func('intptr_t recvmsg(int fd, void *msg, int flags)');
  const mmapPtr = lib.func('mmap', 'void *', ['void *', 'size_t', 'int', 'int', 'int', 'int64_t']);
  const mmapAt = lib.func('mmap', 'uintptr_t', ['uintptr_t', 'size_t', 'int', 'int', 'int', 'int64_t']);
  const closeFn = lib.func('int close(int fd)');
  const eventfdFn = lib.func('int eventfd(unsigned int initval, int flags)');
  const pollFn = lib.func('int poll(void *fds, uint64_t nfds, int timeout)');

  // One message header, iovec, data and control buffer, allocated once in native memory.
  const msgPtr = malloc(56 + 16 + RECV_MAX + CONTROL_LEN);
  const msgAddr = koffi.address(msgPtr);
  const msgBuf = koffi.view(msgPtr, 56 + 16 + RECV_MAX + CONTROL_LEN);
  const msg = new DataView(msgBuf);
  const msgBytes = new Uint8Array(msgBuf);
  const IOV = 56;
  const DATA = 72;
  const CTRL = 72 + RECV_MAX;

  // pollfd arrays for the async poll: one slot set per outstanding call (only one runs at a time).
  const MAX_POLL = 64;
  const pollPtr = malloc(8 * MAX_POLL);
  const pollView = new DataView(koffi.view(pollPtr, 8 * MAX_POLL));
  let polling = false;

  const MAP_FAILED = 0xffff_ffff_ffff_ffffn;
  const asBig = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(v as number));

  cached = {
    koffi,
    recvmsg(fd, max) {
      const want = Math.max(0, Math.min(max, RECV_MAX));
      msgBytes.fill(0, 0, 72);
      msg.setBigUint64(16, msgAddr + BigInt(IOV), true); // msg_iov
      msg.setBigUint64(24, 1n, true); // msg_iovlen
      msg.setBigUint64(32, msgAddr + BigInt(CTRL), true); // msg_control
      msg.setBigUint64(40, BigInt(CONTROL_LEN), true); // msg_controllen
      msg.setBigUint64(IOV, msgAddr + BigInt(DATA), true);
      msg.setBigUint64(IOV + 8, BigInt(want), true);
      const n = Number(recvmsgFn(fd, msgPtr, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
      const errno = n < 0 ? koffi.errno() : 0;
      const fds: number[] = [];
      let truncated = false;
      if (n >= 0) {
        const controllen = Number(msg.getBigUint64(40, true));
        const flags = msg.getInt32(48, true);
        truncated = (flags & MSG_CTRUNC) !== 0;
        let off = 0;
        while (off + 16 <= controllen) {
          const clen = Number(msg.getBigUint64(CTRL + off, true));
          const level = msg.getInt32(CTRL + off + 8, true);
          const type = msg.getInt32(CTRL + off + 12, true);
          if (clen < 16 || off + clen > controllen) break;
          if (level === SOL_SOCKET && type === SCM_RIGHTS) {
            for (let p = 16; p + 4 <= clen; p += 4) fds.push(msg.getInt32(CTRL + off + p, true));
          }
          off += (clen + 7) & ~7;
        }
      }
      const data = n > 0 ? msgBytes.slice(DATA, DATA + n) : new Uint8Array(0);
      return { n, errno, fds, truncated, data };
    },
    reserve(size) {
      const p = mmapPtr(null, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      const base = koffi.address(p);
      if (base === MAP_FAILED || base === 0n) return null;
      return { base, buffer: koffi.view(p, size) };
    },
    mapFixed(base, at, len, fd, offset) {
      const r = asBig(mmapAt(base + BigInt(at), len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, offset));
      return r === base + BigInt(at);
    },
    blank(base, at, len) {
      const r = asBig(mmapAt(base + BigInt(at), len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0n));
      return r === base + BigInt(at);
    },
    eventfd() {
      return eventfdFn(0, EFD_CLOEXEC | EFD_NONBLOCK) as number;
    },
    close(fd) {
      if (fd >= 0) closeFn(fd);
    },
    errno() {
      return koffi.errno();
    },
    pollAsync(fds, timeoutMs, cb) {
      if (polling) throw new Error('one poll at a time');
      const n = Math.min(fds.length, MAX_POLL);
      for (let i = 0; i < n; i++) {
        pollView.setInt32(i * 8, fds[i] as number, true);
        pollView.setInt16(i * 8 + 4, POLLIN, true);
        pollView.setInt16(i * 8 + 6, 0, true);
      }
      polling = true;
      pollFn.async(pollPtr, n, timeoutMs, (e: unknown, res: number) => {
        polling = false;
        if (e || res < 0) return cb(null, res < 0 ? koffi.errno() : -1);
        const rev: number[] = [];
        for (let i = 0; i < n; i++) rev.push(pollView.getInt16(i * 8 + 6, true));
        cb(rev, 0);
      });
    },
  };
  return cached;
}
