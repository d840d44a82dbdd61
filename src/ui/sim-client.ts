import type { Command, CompareView, LessonCheck, LessonPoint, LoadSource, Message } from '../worker/protocol';
import { DEFAULT_SCENARIO_ID } from '../sim/index';
import { unreachable } from '../worker/protocol';
import { emitTerminal, live, notifyFrame, perf } from './live';
import type { WorkerLike } from './live-link';
import type { LiveSource } from './live-source';
import type { RecordingSource } from './recording-source';
import type { Recording } from '../sim/index';
import { appActions, useApp } from './store';

type Batch = Extract<Message, { type: 'batch' }>;

/**
 * When, as a fraction of the frame period after a frame starts, a running page asks for the next
 * batch: late enough that the batch is fresh when drawn, early enough that the worker's reply (a
 * paced catch-up and the batch, a few ms) arrives before the next frame starts.
 */
const ASK_AT = 0.72;

/** Frames in a row with no batch after which the frame loop sleeps until the next batch (a sixth of a second at 60 Hz). */
const FRAMES_BEFORE_SLEEP = 10;

/** How long a running simulation may stay silent before the worker is presumed dead. */
const WATCHDOG_MS = 8000;

/**
 * Owns the simulation worker: sends commands, and applies what comes back once
 * per animation frame (trace to the trace store, state to `live`, rare changes
 * to the zustand store). Asking for the next batch only after a frame was drawn
 * keeps the worker from ever sending more than one batch per frame.
 */
export class SimClient {
  private _worker: WorkerLike | null = null;
  /** A live source's WebSocket URL (`vgpio guest --ui`): used instead of the simulation worker. */
  liveUrl: string | null = null;
  /** A recording opened from a file: shown instead of the simulation worker until it is closed. */
  private _recording: Recording | null = null;
  private _pending: Batch | null = null;
  private _terminal = '';
  private _rafId = 0;
  private _lastFrameAt = 0;
  private _lastMessageAt = 0;
  /** The source that last loaded: what a worker restart reloads (never one the worker refused). */
  private _source: LoadSource | null = null;
  /** The source asked for, until the worker says it loaded (or refused it). */
  private _wanted: LoadSource | null = null;
  private _watchdog = 0;
  /** What the last `loaded` was: the source, and whether it was asked for (false: settings changed, restarted). */
  lastLoad: { source: LoadSource | null; requested: boolean } = { source: null, requested: false };

  start(source: LoadSource): void {
    this._afterPaint.port1.onmessage = () => {
      const now = performance.now();
      perf.push(perf.frameWorkMs, now - this._frameStart);
      if (this._paintedBuiltAt) {
        perf.push(perf.eventToPaintMs, performance.timeOrigin + now - this._paintedBuiltAt);
        this._paintedBuiltAt = 0;
      }
    };
    this._wanted = source;
    if (this.liveUrl) {
      // A live page loads its WebSocket source first; commands sent meanwhile wait for it, in order.
      this._early = [];
      void import('./live-source').then((m) => {
        this._LiveSource = m.LiveSource;
        this._spawn();
        const early = this._early ?? [];
        this._early = null;
        this.send({ type: 'load', source });
        for (const cmd of early) this.send(cmd);
      });
    } else {
      this._spawn();
      this.send({ type: 'load', source });
    }
    this._loop();
    this._watchdog = window.setInterval(() => this._checkAlive(), 1000);
  }

  send(cmd: Command): void {
    if (cmd.type === 'seek') {
      this._seekWanted = cmd.t;
      if (cmd.t === null && live.snapshot) {
        // Back to live: drop the past view at once, so every panel shows the present again.
        live.snapshot = null;
        notifyFrame(true);
      }
    }
    if (this._early) this._early.push(cmd);
    else {
      if (cmd.type === 'load') this._loadsPending++;
      this._worker?.postMessage(cmd);
    }
  }

  /**
   * Load commands the source has not answered yet. A load answered while another is still on its
   * way (a library pick made before the first scenario finished loading) is superseded: it shows
   * for a moment, but it is not what was asked for, and the address must not name it.
   */
  private _loadsPending = 0;

  /** Commands sent while a live page's source is still loading (null: none is). */
  private _early: Command[] | null = null;
  private _LiveSource: typeof LiveSource | null = null;

  /** The time-travel instant last asked for (null = live); snapshots for anything else are stale. */
  private _seekWanted: number | null = null;

  /** Loads another scenario (a library entry, a file, a link); a recording shown is closed first. */
  load(source: LoadSource): void {
    if (this._recording) this._swapSource(null);
    this._wanted = source;
    appActions().loadStarted();
    live.snapshot = null;
    this.send({ type: 'load', source });
  }

  /**
   * Shows a recording read from a trace file instead of the simulation: the
   * worker is stopped and a RecordingSource answers the panels (read only).
   */
  async openRecording(rec: Recording): Promise<void> {
    // The recording's source (and the view it rebuilds from records) loads with the first recording.
    this._RecordingSource ??= (await import('./recording-source')).RecordingSource;
    this._swapSource(rec);
    appActions().loadStarted();
    live.snapshot = null;
    live.steps = [];
    this._wanted = null;
    this.send({ type: 'load', source: { kind: 'library', id: DEFAULT_SCENARIO_ID } });
  }

  /** Back to the simulation (the default scenario) from a recording. */
  closeRecording(): void {
    if (!this._recording) return;
    this.load({ kind: 'library', id: DEFAULT_SCENARIO_ID });
  }

  private _RecordingSource: typeof RecordingSource | null = null;

  get recording(): Recording | null {
    return this._recording;
  }

  /** Replaces the source behind the client: a recording, or (null) a new simulation worker. */
  private _swapSource(rec: Recording | null): void {
    this._worker?.terminate();
    this._recording = rec;
    this._spawn();
    this._pending = null;
    this._terminal = '';
  }

  /** After the worker died: a new worker, the same scenario and the steps recorded so far. */
  restartWorker(): void {
    const steps = [...live.steps];
    this._worker?.terminate();
    this._spawn();
    this._pending = null;
    appActions().workerRestarted();
    const source = this._source ?? this._wanted;
    if (source) this.send({ type: 'load', source });
    if (steps.length) this.send({ type: 'restart', steps });
  }

  /** Asks the worker for the scenario with every recorded step (resolves with its JSON). */
  shareJson(): Promise<unknown> {
    return new Promise((resolve) => {
      this._shareWaiter = resolve;
      this.send({ type: 'share' });
    });
  }
  private _shareWaiter: ((json: unknown) => void) | null = null;

  /** Asks the worker for a lesson's anchor points (resolved on a scratch run of its scenario). */
  lessonAnchors(lesson: unknown): Promise<{ points: (LessonPoint | null)[] | null; error: string }> {
    const req = ++this._req;
    return new Promise((resolve) => {
      this._lessonWaiters.set(req, resolve as (m: unknown) => void);
      this.send({ type: 'lesson-anchors', req, lesson });
    });
  }

  /** Asks the worker to check a lesson's challenge on the session as it stands. */
  lessonCheck(lesson: unknown): Promise<LessonCheck> {
    const req = ++this._req;
    return new Promise((resolve) => {
      this._lessonWaiters.set(req, resolve as (m: unknown) => void);
      this.send({ type: 'lesson-check', req, lesson });
    });
  }
  /** Asks the worker to run the session again under `settings` and compare the two runs. */
  compare(settings: string[]): Promise<{ result: CompareView | null; error: string }> {
    const req = ++this._req;
    return new Promise((resolve) => {
      this._lessonWaiters.set(req, resolve as (m: unknown) => void);
      this.send({ type: 'compare', req, settings });
    });
  }
  private _req = 0;
  private readonly _lessonWaiters = new Map<number, (m: unknown) => void>();
  private _answer(req: number, value: unknown): void {
    this._lessonWaiters.get(req)?.(value);
    this._lessonWaiters.delete(req);
  }

  private _spawn(): void {
    this._loadsPending = 0; // a new source: the old one's unanswered loads are gone with it
    const w: WorkerLike = this.liveUrl && this._LiveSource
      ? new this._LiveSource(this.liveUrl)
      : this._recording && this._RecordingSource
        ? new this._RecordingSource(this._recording)
        : new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module', name: 'vgpio-sim' });
    w.onmessage = (e: MessageEvent<Message>) => this._onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this._died();
    };
    w.onmessageerror = () => this._died();
    this._worker = w;
    this._lastMessageAt = performance.now();
  }

  private _died(): void {
    appActions().workerDied();
  }

  private _checkAlive(): void {
    const { status, workerDead } = useApp.getState();
    if (!workerDead && status === 'running' && performance.now() - this._lastMessageAt > WATCHDOG_MS) this._died();
  }

  /** For tests of the worker-death banner: kills the worker as a crash would. */
  killWorkerForTest(): void {
    this._worker?.terminate();
    this._died();
  }

  private _onMessage(msg: Message): void {
    this._lastMessageAt = performance.now();
    switch (msg.type) {
      case 'ready':
        return;
      case 'loaded': {
        this._loadsPending = Math.max(0, this._loadsPending - 1);
        if (this._loadsPending > 0) {
          // Superseded: a newer load is on its way; what was asked for is that one.
          this.lastLoad = { source: null, requested: false };
        } else {
          // Asked for (a library pick, a file, a link), or a rebuild of the session (settings, restart): the address bar tells them apart.
          this.lastLoad = { source: this._wanted ?? this._source, requested: this._wanted !== null };
          if (this._wanted) this._source = this._wanted;
          this._wanted = null;
        }
        live.trace.reset(msg.info.initialLevels);
        live.steps = [...msg.info.recorded];
        live.violations = [];
        live.snapshot = null;
        live.view = null;
        live.follow = { pace: null, current: -1, note: '' };
        this._pending = null;
        appActions().loaded(msg.info);
        this.send({ type: 'frame' });
        return;
      }
      case 'load-error':
        // The worker's fallback (the default scenario) answers the load; without one, nothing does.
        if (!msg.fallback) this._loadsPending = Math.max(0, this._loadsPending - 1);
        // A refused source is never reloaded: the worker's fallback (the default scenario) is what loads, if anything.
        if (this._loadsPending <= (msg.fallback ? 1 : 0)) this._wanted = msg.fallback ? { kind: 'library', id: DEFAULT_SCENARIO_ID } : null;
        appActions().showLoadError(msg.message);
        return;
      case 'batch':
        // Keep only the newest view, but every trace event and every byte of terminal output.
        if (this._pending?.trace) live.trace.append(this._pending.trace);
        this._terminal += msg.terminal;
        this._pending = msg;
        this._wake();
        return;
      case 'snapshot':
        if (this._seekWanted !== msg.t) return; // Arrived after the user moved on (or went live).
        live.snapshot = { t: msg.t, view: msg.view };
        notifyFrame(true);
        return;
      case 'file':
        downloadText(msg.filename, msg.mime, msg.text);
        appActions().showToast(`Downloaded ${msg.filename}`);
        return;
      case 'share':
        this._shareWaiter?.(msg.json);
        this._shareWaiter = null;
        return;
      case 'lesson-anchors':
        this._answer(msg.req, { points: msg.points, error: msg.error });
        return;
      case 'lesson-check':
        this._answer(msg.req, msg.result);
        return;
      case 'explanation':
        appActions().cardAnswered(msg.req, msg.card, msg.error);
        return;
      case 'compare':
        this._answer(msg.req, { result: msg.result, error: msg.error });
        return;
      case 'error':
        appActions().showToast(msg.message);
        return;
      default:
        unreachable(msg);
    }
  }

  /** Posted from each frame: it runs once that frame's rendering is done, which times the frame's work. */
  private readonly _afterPaint = new MessageChannel();
  private _frameStart = 0;
  /** builtAt of the batch applied in this frame, until its paint is measured. */
  private _paintedBuiltAt = 0;

  /** Frames in a row that had no batch to draw. */
  private _emptyFrames = 0;

  private _loop = (): void => {
    if (this._pending === null && ++this._emptyFrames >= FRAMES_BEFORE_SLEEP) {
      // Nothing has changed for a while (a paused or finished run): stop asking the browser for frames.
      // Each frame costs the page's thread a millisecond or so even with nothing to draw, time an
      // idle page would take from the Explore pool's workers. The next batch wakes the loop (_wake).
      this._rafId = 0;
      return;
    }
    this._rafId = requestAnimationFrame(this._loop);
    const now = performance.now();
    if (this._lastFrameAt) perf.push(perf.frameMs, now - this._lastFrameAt);
    this._lastFrameAt = now;
    this._frameStart = now;
    this._afterPaint.port2.postMessage(0);
    const b = this._pending;
    if (!b) return;
    this._pending = null;
    this._emptyFrames = 0;
    const t0 = performance.now();
    if (b.trace) live.trace.append(b.trace);
    perf.push(perf.eventsPerFrame, b.trace?.t.length ?? 0);
    live.view = b.view;
    live.status = b.status;
    live.speed = b.speed;
    live.hash = b.traceHash;
    live.traceTotal = b.traceTotal;
    live.recordedSteps = b.recordedSteps;
    if (b.follow) live.follow = b.follow;
    if (b.newSteps.length) live.steps.push(...b.newSteps);
    if (b.violations.length) live.violations = live.violations.concat(b.violations).slice(-10_000);
    live.frame++;
    appActions().runState(b.status, b.speed);
    if (this._terminal) {
      emitTerminal(this._terminal);
      this._terminal = '';
    }
    const t1 = performance.now();
    notifyFrame();
    perf.push(perf.applyMs, t1 - t0);
    perf.push(perf.listenersMs, performance.now() - t1);
    // Worker event to paint: measured when this frame's rendering is done (the after-paint message).
    this._paintedBuiltAt = b.builtAt;
    this._askForNext(now);
  };

  /** A batch arrived while the loop slept: draw it at the next frame (the sleep is no frame interval). */
  private _wake(): void {
    if (this._rafId !== 0) return;
    this._emptyFrames = 0;
    this._lastFrameAt = 0;
    this._rafId = requestAnimationFrame(this._loop);
  }

  /** Smoothed interval between animation frames (the display's refresh period, 16.7 ms at 60 Hz). */
  private _period = 1000 / 60;
  private _askTimer = 0;

  /**
   * Asks the worker for the next batch. While a run moves, not at once but part-way through this
   * frame: the worker then simulates up to that instant and its batch lands shortly before the next
   * frame, instead of waiting most of a frame to be drawn (the events on screen are younger by that
   * much). Asked at once when the run is still, so a click's effect is never held back.
   */
  private _askForNext(frameStart: number): void {
    const last = perf.frameMs[perf.frameMs.length - 1];
    if (last !== undefined && last > 4 && last < 50) this._period += (last - this._period) * 0.1;
    if (live.status !== 'running') {
      this.send({ type: 'frame' });
      return;
    }
    const wait = frameStart + this._period * ASK_AT - performance.now();
    if (wait <= 1) {
      this.send({ type: 'frame' });
      return;
    }
    window.clearTimeout(this._askTimer);
    this._askTimer = window.setTimeout(() => this.send({ type: 'frame' }), wait);
  }

  stop(): void {
    cancelAnimationFrame(this._rafId);
    window.clearTimeout(this._askTimer);
    window.clearInterval(this._watchdog);
    this._worker?.terminate();
  }
}

export function downloadText(filename: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const client = new SimClient();
