import { readSync, writeSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuestMemory } from '../sim/memory';
import { VhostUserSession, type HostOps, type VhostDevice } from './backend';
import { EAGAIN, EINTR, loadLibc, POLLERR, POLLHUP, POLLIN, POLLNVAL, type Libc } from './libc';
import { decodeHeader, HEADER_SIZE, MAX_PAYLOAD, reqName, type Region } from './vhost-user';

/**
 * The vhost-user back end's socket side: listens on a unix socket in a private
 * (0700) directory, takes one front end at a time (a second is refused and
 * closed), reads messages with their file descriptors, and waits for kicks
 * with poll(2) on a thread-pool thread so the event loop stays free for the
 * device's timers. When the front end goes away the device stops and the
 * next connection starts a new session.
 */

/** Guest RAM: one address-space reservation; regions are mapped over it at their guest-physical addresses. */
class GuestRam implements HostOps {
  private _base = 0n;
  private _size = 0;
  private _mem: GuestMemory | null = null;
  private readonly _libc: Libc;
  constructor(libc: Libc) {
    this._libc = libc;
  }

  map(regions: Region[], fds: number[], size: number): { ok: true; mem: GuestMemory } | { ok: false; reason: string } {
    const libc = this._libc;
    if (size > this._size || !this._mem) {
      // A bigger table needs a new reservation. The old one is never unmapped: views on it may still be alive.
      const r = libc.reserve(size);
      if (!r) return { ok: false, reason: `cannot reserve ${size} bytes of address space (errno ${libc.errno()})` };
      this._base = r.base;
      this._size = size;
      this._mem = new GuestMemory(r.buffer, 0);
    } else if (!libc.blank(this._base, 0, this._size)) {
      return { ok: false, reason: `cannot reset the guest RAM mapping (errno ${libc.errno()})` };
    }
    for (let i = 0; i < regions.length; i++) {
      const r = regions[i] as Region;
      if (!libc.mapFixed(this._base, Number(r.gpa), Number(r.size), fds[i] as number, r.offset)) {
        libc.blank(this._base, 0, this._size);
        return { ok: false, reason: `cannot map region ${i} (errno ${libc.errno()})` };
      }
    }
    return { ok: true, mem: this._mem };
  }
  close(fd: number): void {
    this._libc.close(fd);
  }
  signal(fd: number): void {
    try {
      writeSync(fd, ONE);
    } catch {
      /* The front end closed the call fd; nothing to interrupt. */
    }
  }
}

const ONE = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);

export interface BackendStats {
  connections: number;
  refused: number;
  disconnects: string[];
  /** vhost-user messages by name, over all connections. */
  messages: Record<string, number>;
}

export class VhostUserServer {
  readonly dir: string;
  readonly path: string;
  readonly stats: BackendStats = { connections: 0, refused: 0, disconnects: [], messages: {} };
  private readonly _libc: Libc;
  private readonly _rt: VhostDevice;
  private readonly _ram: GuestRam;
  private readonly _server: Server;
  private readonly _log: (s: string) => void;
  private _conn: Connection | null = null;
  private _closed = false;
  /** Called when a front end disconnects (with the reason). */
  onDisconnect: (reason: string) => void = () => {};

  constructor(rt: VhostDevice, log: (s: string) => void = () => {}) {
    this._libc = loadLibc();
    this._rt = rt;
    this._log = log;
    this._ram = new GuestRam(this._libc);
    this.dir = mkdtempSync(join(tmpdir(), 'vgpio-guest-'));
    chmodSync(this.dir, 0o700);
    this.path = join(this.dir, 'vhost-user.sock');
    this._server = createServer({ pauseOnConnect: true, allowHalfOpen: false }, (s) => this._accept(s));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this._server.once('error', reject);
      this._server.listen(this.path, () => {
        this._server.off('error', reject);
        resolve();
      });
    });
  }

  private _accept(sock: Socket): void {
    if (this._conn || this._closed) {
      this.stats.refused++;
      this._log('refused a second front end (one at a time)');
      sock.destroy();
      return;
    }
    const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) {
      sock.destroy();
      return;
    }
    this.stats.connections++;
    const session = new VhostUserSession(this._ram, this._rt, this._log);
    this._conn = new Connection(this._libc, sock, fd, session, this.stats, (reason) => {
      this._conn = null;
      this.stats.disconnects.push(reason);
      this._log(`front end disconnected: ${reason}`);
      this.onDisconnect(reason);
    });
  }

  get connected(): boolean {
    return this._conn !== null;
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._conn?.shutdown('back end closed');
    this._server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

class Connection {
  private readonly _ctrl: number;
  private _polling = false;
  private _closing: string | null = null;
  private _done = false;
  // The message being read: header bytes, then payload bytes; fds collected on the way.
  private _buf = new Uint8Array(HEADER_SIZE + MAX_PAYLOAD);
  private _got = 0;
  private _fds: number[] = [];
  private readonly _kb = new Uint8Array(8);

  private readonly _libc: Libc;
  private readonly _sock: Socket;
  private readonly _fd: number;
  private readonly _session: VhostUserSession;
  private readonly _stats: BackendStats;
  private readonly _gone: (reason: string) => void;

  constructor(libc: Libc, sock: Socket, fd: number, session: VhostUserSession, stats: BackendStats, gone: (reason: string) => void) {
    this._libc = libc;
    this._sock = sock;
    this._fd = fd;
    this._session = session;
    this._stats = stats;
    this._gone = gone;
    this._ctrl = libc.eventfd();
    session.onKicksChanged = () => this._wake();
    this._poll();
  }

  private _wake(): void {
    if (this._polling) {
      try {
        writeSync(this._ctrl, ONE);
      } catch {
        /* counter full: the poll is awake anyway */
      }
    }
  }

  private _poll(): void {
    if (this._closing !== null) return this._finish();
    const kicks = this._session.kickFds();
    const fds = [this._ctrl, this._fd, ...kicks.map((k) => k[0])];
    this._polling = true;
    this._libc.pollAsync(fds, -1, (rev, errno) => {
      this._polling = false;
      if (this._closing !== null) return this._finish();
      if (!rev) {
        if (errno === EINTR) return this._poll();
        return this.shutdown(`poll failed (errno ${errno})`);
      }
      if ((rev[0] as number) & POLLIN) this._drain(this._ctrl);
      const current = new Map(this._session.kickFds());
      // The eventq before the requestq when both fired (see RealtimeDevice.kick).
      for (let i = kicks.length - 1; i >= 0; i--) {
        const [fd, q] = kicks[i] as [number, number];
        if ((rev[i + 2] as number) & (POLLIN | POLLERR | POLLHUP | POLLNVAL) && current.get(fd) === q) {
          if (this._drain(fd)) this._session.kick(q);
        }
      }
      const s = rev[1] as number;
      if (s & (POLLIN | POLLHUP | POLLERR)) this._readMessages();
      else if (s & POLLNVAL) this.shutdown('socket closed');
      this._poll();
    });
  }

  /** Reads an eventfd's counter; true when it was signalled. */
  private _drain(fd: number): boolean {
    try {
      return readSync(fd, this._kb, 0, 8, null) === 8;
    } catch {
      return false;
    }
  }

  private _readMessages(): void {
    for (;;) {
      if (this._closing !== null) return;
      const need = this._got < HEADER_SIZE ? HEADER_SIZE - this._got : HEADER_SIZE + decodeHeader(this._buf).size - this._got;
      if (need > 0) {
        const r = this._libc.recvmsg(this._fd, need);
        this._fds.push(...r.fds);
        if (r.truncated) return this.shutdown('a message carried more file descriptors than fit');
        if (r.n === 0) return this.shutdown('front end closed the connection');
        if (r.n < 0) {
          if (r.errno === EAGAIN) return;
          if (r.errno === EINTR) continue;
          return this.shutdown(`recvmsg failed (errno ${r.errno})`);
        }
        this._buf.set(r.data, this._got);
        this._got += r.n;
        if (this._got === HEADER_SIZE) {
          const size = decodeHeader(this._buf).size;
          if (size > MAX_PAYLOAD) return this.shutdown(`message payload of ${size} bytes (at most ${MAX_PAYLOAD})`);
        }
        if (this._got < HEADER_SIZE || this._got < HEADER_SIZE + decodeHeader(this._buf).size) continue;
      }
      const msg = this._buf.slice(0, this._got);
      const fds = this._fds;
      this._got = 0;
      this._fds = [];
      const out = this._session.handle(msg, fds);
      const name = reqName(decodeHeader(msg).request);
      this._stats.messages[name] = (this._stats.messages[name] ?? 0) + 1;
      if (out.reply) {
        try {
          writeSync(this._fd, out.reply);
        } catch (e) {
          return this.shutdown(`cannot reply (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        }
      }
      if (out.disconnect) return this.shutdown(out.disconnect);
    }
  }

  /** Ends the connection; the socket is closed once no poll is watching it. */
  shutdown(reason: string): void {
    if (this._closing !== null) return;
    this._closing = reason;
    for (const fd of this._fds) this._libc.close(fd);
    this._fds = [];
    if (this._polling) this._wake();
    else this._finish();
  }

  private _finish(): void {
    if (this._done) return;
    this._done = true;
    this._session.close();
    this._libc.close(this._ctrl);
    this._sock.destroy();
    this._gone(this._closing ?? 'closed');
  }
}
