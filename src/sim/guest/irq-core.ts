import type { LatencyRange } from '../clock/time';
import { EV, type SimContext } from '../sim-context';
import { TK } from '../trace/kinds';
import type { VirtioGpioDriver } from './gpio-driver';
import { EBUSY, EINVAL } from './warnings';

/** Guest-side interrupt-handling variants (scenario settings). */
export interface IrqFlowConfig {
  /** Flow handler: `level` (handle_level_irq, what Linux gpio-virtio uses for every type), `fasteoi`, or `edge`. */
  flow: 'level' | 'fasteoi' | 'edge';
  /** Re-queue (the EOI) after the client's handler, as Linux does, or before it (an early-EOI driver). */
  requeue: 'after' | 'before';
  /** Changing the type of a live interrupt: SET_IRQ_TYPE with the new type directly (Linux), or disable + enable through NONE. */
  typeChange: 'direct' | 'via-none';
  /** Wake-up latency of threaded handlers. */
  threadLatency: LatencyRange;
}

/** A requested interrupt's action: which client handles it and whether it is threaded (IRQF_ONESHOT). */
export interface IrqAction {
  clientId: number;
  threaded: boolean;
}

/** The client drivers, by id: the irq core runs their handlers and reports their irq calls back. */
export interface IrqClients {
  /** Runs a client's primary (hardirq) handler; returns its run time in ns. */
  primary(clientId: number, line: number, callNo: number): number;
  /** Runs a client's threaded handler; returns its run time, or -1 when it will call threadDone() itself. */
  thread(clientId: number, line: number, callNo: number): number;
  /** An irq API call returned (request_irq, free_irq, enable_irq, disable_irq, irq_set_irq_type); the cookie is the caller's id. */
  irqOpDone(line: number, op: IrqOp, result: number, cookie: number): void;
}

/** Who judges handler calls (the oracle): told when a primary handler starts. */
export interface HandlerObserver {
  handlerStart(line: number, callNo: number): void;
}

export type IrqOp = 'request' | 'free' | 'disable' | 'enable' | 'set-type';

interface BusOp {
  line: number;
  op: IrqOp;
  trigger: number;
  action: IrqAction | null;
  cookie: number;
  stage: number;
  result: number;
}

const Stage = { PrimaryEnd: 1, ThreadStart: 2, ThreadEnd: 3 } as const;

/**
 * The part of Linux's generic irq layer the gpio interrupts go through: the
 * irq API calls, serialized by the chip's bus lock (irq_bus_lock /
 * irq_bus_sync_unlock, which may sleep on a requestq round trip), and the flow
 * handlers that mask, run the client's handler, and unmask, the unmask being
 * the re-queue of the eventq buffer.
 */
export class IrqCore {
  private readonly _ctx: SimContext;
  private readonly _chip: VirtioGpioDriver;
  private readonly _clients: IrqClients;
  private readonly _observer: HandlerObserver;
  readonly cfg: IrqFlowConfig;

  readonly action: (IrqAction | null)[];
  /** irqd_irq_disabled: the interrupt is disabled at the irq layer (depth > 0 or never enabled). */
  readonly descDisabled: Uint8Array;
  readonly depth: Uint16Array;
  readonly inProgress: Uint8Array;
  readonly threadActive: Uint8Array;
  /** The threaded handler has started (its HandlerStart is traced) and not yet ended. */
  private readonly _threadRunning: Uint8Array;
  private readonly _threadAgain: Uint8Array;
  /** IRQS_PENDING: an interrupt arrived while it could not run. */
  readonly pending: Uint8Array;
  readonly calls: Uint32Array;
  private readonly _gen: Int32Array;

  private readonly _busQueue: BusOp[] = [];
  private _busOp: BusOp | null = null;

  constructor(ctx: SimContext, chip: VirtioGpioDriver, clients: IrqClients, observer: HandlerObserver, cfg: IrqFlowConfig, ngpio: number) {
    this._ctx = ctx;
    this._chip = chip;
    this._clients = clients;
    this._observer = observer;
    this.cfg = cfg;
    this.action = new Array<IrqAction | null>(ngpio).fill(null);
    this.descDisabled = new Uint8Array(ngpio).fill(1);
    this.depth = new Uint16Array(ngpio).fill(1);
    this.inProgress = new Uint8Array(ngpio);
    this.threadActive = new Uint8Array(ngpio);
    this._threadRunning = new Uint8Array(ngpio);
    this._threadAgain = new Uint8Array(ngpio);
    this.pending = new Uint8Array(ngpio);
    this.calls = new Uint32Array(ngpio);
    this._gen = new Int32Array(ngpio);
  }

  /** A handler for the line is running, about to run again, or its thread is pending. */
  busy(line: number): boolean {
    return this.inProgress[line] === 1 || this.threadActive[line] === 1 || this.pending[line] === 1;
  }

  // ---- the irq API (each call takes the bus lock) ---------------------------------

  requestIrq(line: number, trigger: number, action: IrqAction, cookie = 0): void {
    this._queueOp({ line, op: 'request', trigger, action, cookie, stage: 0, result: 0 });
  }
  freeIrq(line: number, cookie = 0): void {
    this._queueOp({ line, op: 'free', trigger: 0, action: null, cookie, stage: 0, result: 0 });
  }
  disableIrq(line: number, cookie = 0): void {
    this._queueOp({ line, op: 'disable', trigger: 0, action: null, cookie, stage: 0, result: 0 });
  }
  enableIrq(line: number, cookie = 0): void {
    this._queueOp({ line, op: 'enable', trigger: 0, action: null, cookie, stage: 0, result: 0 });
  }
  setIrqType(line: number, trigger: number, cookie = 0): void {
    this._queueOp({ line, op: 'set-type', trigger, action: null, cookie, stage: 0, result: 0 });
  }

  /** Operations waiting for the bus lock, plus the one holding it. */
  get busQueueLength(): number {
    return this._busQueue.length + (this._busOp ? 1 : 0);
  }

  private _queueOp(op: BusOp): void {
    this._busQueue.push(op);
    if (!this._busOp) this._nextOp();
  }

  private _nextOp(): void {
    const op = this._busQueue.shift();
    this._busOp = op ?? null;
    if (op) this._advance(op);
  }

  /** Runs an operation's next stage; a stage that sends SET_IRQ_TYPE resumes in syncUnlockDone(). */
  private _advance(op: BusOp): void {
    const chip = this._chip;
    const line = op.line;
    for (;;) {
      const stage = op.stage++;
      switch (op.op) {
        case 'request':
          if (stage === 0) {
            if (this.action[line]) return this._endOp(op, EBUSY);
            const r = chip.irqSetType(line, op.trigger);
            if (r < 0) return this._endOp(op, r);
            this.action[line] = op.action;
            this.depth[line] = 0;
            this.descDisabled[line] = 0;
            chip.irqEnable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          return this._endOp(op, 0);
        case 'free':
          if (stage === 0) {
            const action = this.action[line];
            if (!action) return this._endOp(op, EINVAL);
            this._endRunning(line, action);
            this.action[line] = null;
            this.depth[line] = 1;
            this.descDisabled[line] = 1;
            this._gen[line]!++;
            this.inProgress[line] = 0;
            this.threadActive[line] = 0;
            this.pending[line] = 0;
            chip.irqDisable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          return this._endOp(op, 0);
        case 'disable':
          if (stage === 0) {
            if (this.depth[line]!++ > 0) return this._endOp(op, 0);
            this.descDisabled[line] = 1;
            chip.irqDisable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          return this._endOp(op, 0);
        case 'enable':
          if (stage === 0) {
            if (this.depth[line] === 0) return this._endOp(op, EINVAL); // "Unbalanced enable for IRQ"
            if (--this.depth[line]! > 0) return this._endOp(op, 0);
            this.descDisabled[line] = 0;
            chip.irqEnable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          return this._endOp(op, 0);
        case 'set-type':
          if (this.cfg.typeChange === 'direct' || this.descDisabled[line]) {
            if (stage === 0) {
              const r = chip.irqSetType(line, op.trigger);
              if (r < 0) return this._endOp(op, r);
              if (!chip.busSyncUnlock(line)) return;
              continue;
            }
            return this._endOp(op, 0);
          }
          // Through NONE, as the merged spec asks: disable, then enable with the new type.
          if (stage === 0) {
            chip.irqDisable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          if (stage === 1) {
            const r = chip.irqSetType(line, op.trigger);
            op.result = r;
            chip.irqEnable(line);
            if (!chip.busSyncUnlock(line)) return;
            continue;
          }
          return this._endOp(op, op.result);
      }
    }
  }

  /** The chip finished the SET_IRQ_TYPE round trip (and queueing) of bus_sync_unlock. */
  syncUnlockDone(line: number): void {
    const op = this._busOp;
    if (op && op.line === line) this._advance(op);
  }

  private _endOp(op: BusOp, result: number): void {
    this._busOp = null;
    this._clients.irqOpDone(op.line, op.op, result, op.cookie);
    this._nextOp();
  }

  // ---- flow handlers --------------------------------------------------------------

  /** The chip hands over a VALID interrupt (generic_handle_domain_irq). */
  handleIrq(line: number): void {
    const chip = this._chip;
    const action = this.action[line];
    const flow = this.cfg.flow;
    if (flow === 'level') {
      chip.irqMask(line);
      if (!action || this.descDisabled[line]) {
        this.pending[line] = 1;
        return;
      }
      if (this.inProgress[line]) return;
      if (this.cfg.requeue === 'before') chip.irqUnmask(line);
      this._runPrimary(line, action);
      return;
    }
    if (flow === 'fasteoi') {
      if (!action || this.descDisabled[line] || this.inProgress[line]) {
        this.pending[line] = 1;
        chip.irqMask(line);
        return;
      }
      if (action.threaded) chip.irqMask(line); // IRQS_ONESHOT: masked until the thread is done.
      if (this.cfg.requeue === 'before') chip.irqEoi(line);
      this._runPrimary(line, action);
      return;
    }
    // edge: ack (re-queue) first; an interrupt during the handler is replayed after it.
    if (!action || this.descDisabled[line] || this.inProgress[line]) {
      this.pending[line] = 1;
      chip.irqMask(line);
      return;
    }
    chip.irqAck(line);
    this._runPrimary(line, action);
  }

  /** A threaded handler that finishes asynchronously (after its own I/O) reports here. */
  threadDone(line: number): void {
    if (!this.threadActive[line]) return;
    this._threadEnd(line);
  }

  /** EV.Handler dispatch. */
  stage(line: number, stage: number, gen: number): void {
    if (gen !== this._gen[line]) return; // The irq was freed meanwhile.
    const action = this.action[line];
    if (!action) return;
    switch (stage) {
      case Stage.PrimaryEnd:
        return this._primaryEnd(line, action);
      case Stage.ThreadStart: {
        const callNo = this.calls[line] as number;
        this._threadRunning[line] = 1;
        this._ctx.emit(TK.HandlerStart, line, action.clientId, callNo, 1);
        const d = this._clients.thread(action.clientId, line, callNo);
        if (d >= 0) this._ctx.after(d, EV.Handler, line, Stage.ThreadEnd, gen);
        return;
      }
      case Stage.ThreadEnd:
        return this._threadEnd(line);
    }
  }

  private _runPrimary(line: number, action: IrqAction): void {
    this.inProgress[line] = 1;
    this.pending[line] = 0;
    const callNo = ++this.calls[line]!;
    this._observer.handlerStart(line, callNo);
    this._ctx.emit(TK.HandlerStart, line, action.clientId, callNo, 0);
    const d = this._clients.primary(action.clientId, line, callNo);
    this._ctx.after(d, EV.Handler, line, Stage.PrimaryEnd, this._gen[line] as number);
  }

  private _primaryEnd(line: number, action: IrqAction): void {
    const chip = this._chip;
    this.inProgress[line] = 0;
    const callNo = this.calls[line] as number;
    this._ctx.emit(TK.HandlerEnd, line, action.clientId, callNo, 0);
    if (action.threaded) {
      if (this.threadActive[line]) this._threadAgain[line] = 1;
      else {
        this.threadActive[line] = 1;
        this._ctx.after(this._ctx.draw(this.cfg.threadLatency), EV.Handler, line, Stage.ThreadStart, this._gen[line] as number);
      }
    }
    const flow = this.cfg.flow;
    if (flow === 'level') {
      // cond_unmask_irq: not while a oneshot thread still owns the line.
      if (!action.threaded) this._condUnmask(line);
    } else if (flow === 'fasteoi') {
      if (this.cfg.requeue === 'after') chip.irqEoi(line);
    } else if (this.pending[line] && !this.descDisabled[line]) {
      // handle_edge_irq's loop: unmask (re-queue) and run the handler again for the edge that came meanwhile.
      if (chip.masked[line]) chip.irqUnmask(line);
      this._runPrimary(line, action);
    }
  }

  private _threadEnd(line: number): void {
    const action = this.action[line];
    this.threadActive[line] = 0;
    this._threadRunning[line] = 0;
    const callNo = this.calls[line] as number;
    this._ctx.emit(TK.HandlerEnd, line, action?.clientId ?? -1, callNo, 1);
    if (this._threadAgain[line] && action) {
      this._threadAgain[line] = 0;
      this.threadActive[line] = 1;
      this._ctx.after(this._ctx.draw(this.cfg.threadLatency), EV.Handler, line, Stage.ThreadStart, this._gen[line] as number);
      return;
    }
    // irq_finalize_oneshot -> unmask_threaded_irq.
    if (this.cfg.flow !== 'edge') this._condUnmask(line);
  }

  /**
   * free_irq returns only once no handler of the action runs: __free_irq (kernel/irq/manage.c) waits
   * for a running hard-irq handler (__synchronize_hardirq) and stops the action's thread with
   * kthread_stop, which lets a thread handler in progress finish first. The model completes the free
   * at once, so a handler still running ends here, and its end is traced: the run it started closes
   * instead of staying open with nothing left to end it (its later completion is ignored, being of a
   * freed irq).
   */
  private _endRunning(line: number, action: IrqAction): void {
    const callNo = this.calls[line] as number;
    if (this.inProgress[line]) this._ctx.emit(TK.HandlerEnd, line, action.clientId, callNo, 0);
    if (this._threadRunning[line]) {
      this._threadRunning[line] = 0;
      this._ctx.emit(TK.HandlerEnd, line, action.clientId, callNo, 1);
    }
  }

  private _condUnmask(line: number): void {
    const chip = this._chip;
    if (this.cfg.requeue === 'after' && !this.descDisabled[line] && chip.masked[line]) chip.irqUnmask(line);
  }
}
