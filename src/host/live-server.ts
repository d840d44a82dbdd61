import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ScenarioInfo } from '../worker/protocol';
import { LiveSession } from './live-session';
import type { RealtimeDevice } from './realtime';
import { acceptWebSocket, refuse, type WsConnection } from './ws';

/**
 * `vgpio guest --ui`: serves the built app (dist/) on 127.0.0.1 at a random
 * free port, and a WebSocket at /live over which the page shows the real
 * guest's device live and drives its lines. Only the page this server serves
 * may connect: the Host must be this address, the Origin this page's, and
 * the URL must carry the random token that is printed (in the page URL's
 * fragment, which browsers never send to a server or put in a Referer).
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Every batch is built on this period at most (the page asks for one per animation frame). */
const FLUSH_MS = 50;

export interface LiveServerOptions {
  /** The built app (index.html and assets/). */
  distDir: string;
  rt: RealtimeDevice;
  info: ScenarioInfo;
  log?: (s: string) => void;
}

/** Why `vgpio guest --ui` cannot serve the app, or null when dist/ has a built app. */
export function distProblem(distDir: string): string | null {
  if (existsSync(join(distDir, 'index.html'))) return null;
  return `the app is not built (no ${join(distDir, 'index.html')}): run \`npx vite build\` (or \`npm run build\`) in the vgpio-lab checkout first`;
}

export class LiveServer {
  readonly token = randomBytes(24).toString('base64url');
  private readonly _opts: LiveServerOptions;
  private readonly _http: Server;
  private readonly _dist: string;
  private readonly _sessions = new Map<WsConnection, LiveSession>();
  private _port = 0;
  private _timer: ReturnType<typeof setInterval> | null = null;
  /** The guest console so far, for a page that connects late (bounded). */
  private _console = '';
  /** Connections refused (no token, wrong Origin or Host, not a WebSocket). */
  refused = 0;

  constructor(opts: LiveServerOptions) {
    this._opts = opts;
    this._dist = resolve(opts.distDir);
    this._http = createServer((req, res) => this._serve(req, res));
    this._http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this._upgrade(req, socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((ok, fail) => {
      this._http.once('error', fail);
      this._http.listen(0, '127.0.0.1', () => ok());
    });
    this._port = (this._http.address() as AddressInfo).port;
    this._timer = setInterval(() => {
      for (const s of this._sessions.values()) s.flush();
    }, FLUSH_MS);
  }

  get port(): number {
    return this._port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this._port}`;
  }

  /** The page to open: the token travels in the fragment (`#live=<port>.<token>`). */
  get url(): string {
    return `${this.origin}/#live=${this._port}.${this.token}`;
  }

  get connections(): number {
    return this._sessions.size;
  }

  /** Guest console output: to every page's terminal. */
  console(text: string): void {
    const clean = stripControls(text);
    this._console = (this._console + clean).slice(-64 * 1024);
    for (const s of this._sessions.values()) s.console(clean);
  }

  /** The run is over: each page gets a last batch saying so, then the connections and the server close. */
  async close(): Promise<void> {
    if (this._timer) clearInterval(this._timer);
    this._timer = null;
    for (const [conn, s] of this._sessions) {
      s.status = 'ended';
      s.flushFinal();
      conn.close();
    }
    this._sessions.clear();
    this._http.closeAllConnections();
    await new Promise<void>((ok) => this._http.close(() => ok()));
  }

  private _serve(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.host !== `127.0.0.1:${this._port}`) return end(res, 421, 'wrong Host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'only GET');
    const path = decodeURIComponentSafe((req.url ?? '/').split('?')[0] as string);
    if (path === null) return end(res, 400, 'bad path');
    const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const file = resolve(this._dist, rel);
    if (!(file === this._dist || file.startsWith(this._dist + sep))) return end(res, 404, 'not found');
    let st;
    try {
      st = statSync(file);
    } catch {
      return end(res, 404, 'not found');
    }
    if (!st.isFile()) return end(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // The app's worker setup expects cross-origin isolation (vite.config.ts sets the same).
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  }

  /** Why an upgrade request is refused, or null: right path, Host, Origin and token. */
  judge(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname !== '/live') return 'not the live endpoint';
    if (req.headers.host !== `127.0.0.1:${this._port}`) return 'wrong Host';
    if (req.headers.origin !== this.origin) return `Origin ${JSON.stringify(req.headers.origin ?? null)} is not the served page`;
    const got = Buffer.from(url.searchParams.get('token') ?? '');
    const want = Buffer.from(this.token);
    if (got.length !== want.length || !timingSafeEqual(got, want)) return 'missing or wrong token';
    return null;
  }

  private _upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const why = this.judge(req);
    if (why) {
      this.refused++;
      this._opts.log?.(`live: refused a connection: ${why}`);
      return refuse(socket, 403, 'Forbidden');
    }
    const conn = acceptWebSocket(req, socket, head);
    if (!conn) {
      this.refused++;
      return;
    }
    const s = new LiveSession(this._opts.rt, this._opts.info, (t) => conn.send(t), this._console);
    this._sessions.set(conn, s);
    this._opts.log?.('live: a page connected');
    conn.onMessage = (t) => s.handle(t);
    conn.onClose = () => {
      this._sessions.delete(conn);
      this._opts.log?.('live: a page disconnected');
    };
  }
}

function end(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Console text for the page's terminal: line breaks as CRLF, no escape sequences or other controls. */
export function stripControls(s: string): string {
  return s.replace(/\r?\n/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '').replace(/\n/g, '\r\n');
}
