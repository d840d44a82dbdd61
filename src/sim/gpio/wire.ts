import type { Pull } from './world';
import type { SimContext } from '../sim-context';
import { LevelCause, TK } from '../trace/kinds';

/** Who senses the physical lines: the device's edge and level detection, and the oracle. */
export interface WireListener {
  levelChanged(line: number, level: number): void;
}

/**
 * The physical lines. Each line's level comes from the device when it drives
 * the line as an output, else from the world, else from its pull. When both
 * sides drive different levels the line is flagged (the device wins: a push-pull
 * output overpowers a weak external source in this model).
 */
export class Wire {
  readonly level: Uint8Array;
  readonly worldDrive: Int8Array;
  readonly deviceDrive: Int8Array;
  readonly pull: Pull[];
  readonly contended: Uint8Array;
  readonly contentions: Uint32Array;
  private readonly _ctx: SimContext;
  /** Told of every level change, in this order (the device first: it acts, the oracle judges). */
  private readonly _listeners: WireListener[] = [];

  constructor(ctx: SimContext, pulls: Pull[]) {
    this._ctx = ctx;
    const n = pulls.length;
    this.pull = pulls;
    this.level = new Uint8Array(n);
    this.worldDrive = new Int8Array(n).fill(-1);
    this.deviceDrive = new Int8Array(n).fill(-1);
    this.contended = new Uint8Array(n);
    this.contentions = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.level[i] = pulls[i] === 'up' ? 1 : 0;
  }

  listen(l: WireListener): void {
    this._listeners.push(l);
  }

  /** Sets both drives without tracing or notifying: the state at time zero. */
  init(line: number, world: number, device: number): void {
    this.worldDrive[line] = world;
    this.deviceDrive[line] = device;
    this.level[line] = this._resolve(line);
  }

  setWorld(line: number, drive: number): void {
    this.worldDrive[line] = drive;
    this._update(line, LevelCause.World);
  }

  setDevice(line: number, drive: number): void {
    this.deviceDrive[line] = drive;
    this._update(line, LevelCause.DeviceOutput);
  }

  private _resolve(line: number): number {
    const dev = this.deviceDrive[line] as number;
    if (dev >= 0) return dev;
    const w = this.worldDrive[line] as number;
    if (w >= 0) return w;
    const p = this.pull[line];
    // A floating line keeps its last level (charge on the pin); pulls decide when present.
    return p === 'up' ? 1 : p === 'down' ? 0 : (this.level[line] as number);
  }

  private _update(line: number, cause: number): void {
    const dev = this.deviceDrive[line] as number;
    const w = this.worldDrive[line] as number;
    const contended = dev >= 0 && w >= 0 && dev !== w ? 1 : 0;
    if (contended && !this.contended[line]) {
      this.contentions[line]!++;
      this._ctx.emit(TK.LineContention, line, w, dev, 0);
    }
    this.contended[line] = contended;
    const lvl = this._resolve(line);
    if (lvl === this.level[line]) return;
    this.level[line] = lvl;
    this._ctx.emit(TK.LineLevel, line, lvl, dev >= 0 ? LevelCause.DeviceOutput : w >= 0 ? cause : LevelCause.Pull, 0);
    const ls = this._listeners;
    for (let i = 0; i < ls.length; i++) (ls[i] as WireListener).levelChanged(line, lvl);
  }
}
