import { decodeMessage, type Command, type Message } from '../worker/protocol';
import { appActions } from './store';
import { setLiveState as setState, type WorkerLike } from './live-link';

export { liveUrlFromHash, liveState, onLiveState, type WorkerLike } from './live-link';

/**
 * The live source: instead of the simulation worker, the page talks over a
 * WebSocket to `vgpio guest --ui`, which runs the project's device model under
 * a real Linux guest and sends the same `loaded` / `batch` messages built from
 * it. It looks like a Worker to the client (postMessage / onmessage /
 * terminate), so the panels need not know where their data comes from.
 *
 * A live run is a recording on the wall clock: commands that only make sense
 * for a replayable simulation (run, pause, step, speed, time travel, settings,
 * loading another scenario, share, export, terminal input) are answered here
 * with an explanation instead of being sent.
 */

/** Why a command is not sent in a live recording (null: it is sent). */
export function notLive(cmd: Command): string | null {
  switch (cmd.type) {
    case 'frame':
    case 'action':
    case 'inspect':
    case 'detail':
      return null;
    case 'seek':
      return cmd.t === null ? null : 'A live recording cannot travel back in time: the waveform and the trace show what happened, the panels show the present.';
    case 'run':
    case 'pause':
    case 'step':
    case 'follow':
    case 'run-until':
    case 'run-to':
    case 'speed':
      return 'A live recording runs on the wall clock with a real guest: it cannot be paused, stepped or sped up.';
    case 'settings':
    case 'restart':
    case 'load':
      return 'This page shows a live real guest: its device is the one `vgpio guest` started with. Open the app without #live to simulate other scenarios.';
    case 'share':
    case 'export':
      return 'A live recording is not a replayable scenario: it cannot be shared as a link or exported here (use `vgpio guest --trace out.jsonl`).';
    case 'lesson-anchors':
    case 'lesson-check':
      return 'Lessons run on a simulation: open the app without #live to take one.';
    case 'explain':
      return 'A live recording has no recorded causes: open the flag\u2019s scenario in the simulation to see why it happened.';
    case 'compare':
      return 'A live recording of a real guest cannot be run again under other settings: compare in the simulation (open the app without #live).';
    case 'terminal':
      return 'The terminal shows the real guest\u2019s console (read only): its commands are the ones given to `vgpio guest --run`.';
  }
}

export class LiveSource implements WorkerLike {
  onmessage: ((e: MessageEvent<Message>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  private readonly _ws: WebSocket;
  private _queue: string[] = [];
  private _lastBatch: Extract<Message, { type: 'batch' }> | null = null;
  private _sawLoad = false;
  private _ended = false;

  constructor(url: string) {
    setState({ url, connected: false, closed: false });
    this._ws = new WebSocket(url);
    this._ws.onopen = () => {
      setState({ url, connected: true, closed: false });
      for (const t of this._queue) this._ws.send(t);
      this._queue = [];
    };
    this._ws.onmessage = (e: MessageEvent<unknown>) => {
      if (typeof e.data !== 'string') return;
      const msg = decodeMessage(e.data);
      if (!msg) return;
      if (msg.type === 'batch') {
        this._lastBatch = msg;
        if (msg.status === 'ended') this._ended = true;
      }
      this._deliver(msg);
    };
    this._ws.onclose = () => {
      setState({ url, connected: false, closed: true });
      // The run ended (or vgpio was stopped): the page keeps what it recorded, and says so.
      const b = this._lastBatch;
      if (b && !this._ended) this._deliver({ ...b, status: 'ended', trace: null, violations: [], terminal: '\r\n[the live connection closed]\r\n', newSteps: [] });
      if (!b) this._deliver({ type: 'error', message: 'Could not connect to the live guest: is `vgpio guest --ui` still running? (The URL and its token change with each run.)' });
    };
  }

  postMessage(cmd: Command): void {
    // The client loads its start source once on startup: that is this live run, nothing to say.
    if (cmd.type === 'load' && !this._sawLoad) {
      this._sawLoad = true;
      return;
    }
    const why = notLive(cmd);
    if (why) {
      // A comparison or an explanation is a request: its answer carries the reason, so nothing waits for ever.
      if (cmd.type === 'compare') this._deliver({ type: 'compare', req: cmd.req, result: null, error: why });
      else if (cmd.type === 'explain') this._deliver({ type: 'explanation', req: cmd.req, seq: cmd.seq, card: null, error: why });
      else this._deliver({ type: 'error', message: why });
      // Time travel: back to the present (the cursor the click set would otherwise stay).
      if (cmd.type === 'seek') queueMicrotask(() => appActions().moveCursor(null));
      return;
    }
    if (cmd.type === 'seek') return;
    const t = JSON.stringify(cmd);
    if (this._ws.readyState === WebSocket.OPEN) this._ws.send(t);
    else if (this._ws.readyState === WebSocket.CONNECTING) this._queue.push(t);
  }

  terminate(): void {
    this._ws.close();
  }

  private _deliver(msg: Message): void {
    // Asynchronously, as a worker's messages arrive.
    queueMicrotask(() => this.onmessage?.({ data: msg } as MessageEvent<Message>));
  }
}
