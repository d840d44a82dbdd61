import {
  DIRECTION_IN,
  DIRECTION_NONE,
  DIRECTION_OUT,
  MSG_GET_DIRECTION,
  MSG_GET_VALUE,
  MSG_SET_DIRECTION,
  MSG_SET_VALUE,
} from '../gpio/constants';
import type { SimContext } from '../sim-context';
import { TK } from '../trace/kinds';
import type { VirtioGpioDriver } from './gpio-driver';
import { DriverWarning, EBUSY, EINVAL, EIO } from './warnings';

/** Someone waiting for a gpiolib call: a client driver or a shell job. */
export interface GpioRequester {
  gpioDone(tag: number, result: number): void;
}

export const GpioOp = { GetDirection: 1, DirectionInput: 2, DirectionOutput: 3, Get: 4, Set: 5, Free: 6 } as const;
export type GpioOp = (typeof GpioOp)[keyof typeof GpioOp];

/** Drive of an output line (GPIO_V2_LINE_FLAG_OPEN_DRAIN / _OPEN_SOURCE; gpioinfo's `drive=`). */
export const Drive = { PushPull: 0, OpenDrain: 1, OpenSource: 2 } as const;

/**
 * Internal op of a call: an emulated open-drain / open-source output that
 * stops driving the line (SET_DIRECTION IN) while gpiolib keeps FLAG_IS_OUT.
 */
const OP_EMULATED_RELEASE = 100;

/** Line info changes gpiolib tells watchers of (GPIO_V2_LINE_CHANGED_*; gpionotify's %e). */
export const InfoEvent = { Requested: 1, Released: 2, Reconfigured: 3 } as const;
export type InfoEvent = (typeof InfoEvent)[keyof typeof InfoEvent];

/** A watcher of line info (a gpionotify process holding GPIO_V2_GET_LINEINFO_WATCH on lines). */
export interface InfoWatcher {
  /** Lines watched (by offset). */
  watches(line: number): boolean;
  lineInfoChanged(line: number, event: InfoEvent): void;
}

/** Edge detection a cdev consumer asked for (gpioinfo's `edges=`). */
export const EdgeFlags = { None: 0, Rising: 1, Falling: 2, Both: 3 } as const;

/**
 * The slice of Linux gpiolib the model needs: who has requested each line
 * (the consumer label gpioinfo shows), the cached direction, and the calls that
 * become virtio messages. direction_output is SET_VALUE then SET_DIRECTION OUT,
 * as gpio-virtio implements it; releasing a line calls .free, which sends
 * SET_DIRECTION NONE.
 */
export class Gpiolib {
  private readonly _ctx: SimContext;
  private readonly _chip: VirtioGpioDriver;
  readonly consumer: (string | null)[] = [];
  /** FLAG_IS_OUT as gpiolib caches it. */
  isOut = new Uint8Array(0);
  usedAsIrq = new Uint8Array(0);
  irqEnabled = new Uint8Array(0);
  edges = new Uint8Array(0);
  /** Drive (Drive) a consumer asked for; gpio-virtio has no .set_config, so anything but push-pull is emulated. */
  drive = new Uint8Array(0);

  /** gpiolib-cdev's info watchers; gpiod_line_state_notify() tells them of each change. */
  readonly infoWatchers = new Set<InfoWatcher>();
  /** Set from request until the requester's first direction call returns: configuring it is part of the request. */
  private _configuring = new Uint8Array(0);

  // Calls in flight, by cookie.
  private _req: (GpioRequester | null)[] = [];
  private _tag: number[] = [];
  private _op: number[] = [];
  private _line: number[] = [];
  private _value: number[] = [];
  private _free: number[] = [];
  /** The call is the drive emulation's (gpio_set_open_*_value_commit), not a direction change of the consumer. */
  private _emulated: boolean[] = [];

  constructor(ctx: SimContext, chip: VirtioGpioDriver) {
    this._ctx = ctx;
    this._chip = chip;
  }

  /** gpiochip_add_data: directions read at probe seed FLAG_IS_OUT. */
  registerChip(): void {
    const n = this._chip.ngpio;
    this.consumer.length = n;
    this.consumer.fill(null);
    this.isOut = new Uint8Array(n);
    this.usedAsIrq = new Uint8Array(n);
    this.irqEnabled = new Uint8Array(n);
    this.edges = new Uint8Array(n);
    this.drive = new Uint8Array(n);
    this._configuring = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.isOut[i] = this._chip.directionAtProbe(i) === DIRECTION_OUT ? 1 : 0;
  }

  get ngpio(): number {
    return this._chip.ngpio;
  }

  lineName(line: number): string {
    return this._chip.names?.[line] ?? '';
  }

  /** gpiod_request: claim the line for a consumer. No traffic (gpio-virtio has no .request). */
  request(line: number, consumer: string): number {
    if (line < 0 || line >= this.ngpio) return EINVAL;
    if (this.consumer[line] !== null) return EBUSY;
    this.consumer[line] = consumer;
    this._configuring[line] = 1;
    this.notify(line, InfoEvent.Requested);
    return 0;
  }

  /** gpiod_line_state_notify(): every watcher of the line hears of the change, at once. */
  notify(line: number, event: InfoEvent): void {
    for (const w of [...this.infoWatchers]) if (w.watches(line)) w.lineInfoChanged(line, event);
  }

  /** gpiod_free: release the line; gpio-virtio's .free sends SET_DIRECTION NONE. */
  release(line: number): void {
    if (this.consumer[line] === null) return;
    this.consumer[line] = null;
    this.edges[line] = 0;
    this.drive[line] = Drive.PushPull;
    this._configuring[line] = 0;
    this.notify(line, InfoEvent.Released);
    this.call(line, GpioOp.Free, 0, null, 0);
  }

  /** Starts a gpiolib call; the requester hears back through gpioDone(tag, result). */
  call(line: number, op: GpioOp, value: number, who: GpioRequester | null, tag: number): void {
    if (op === GpioOp.DirectionOutput && this.usedAsIrq[line] && this.irqEnabled[line]) {
      // gpiod_direction_output refuses a line that is an enabled interrupt.
      this._ctx.emit(TK.DrvWarn, line, DriverWarning.GpioTiedToIrq, 0, 0);
      who?.gpioDone(tag, EIO);
      return;
    }
    const drive = this.drive[line] ?? Drive.PushPull;
    const emulated = op === GpioOp.Set && drive !== Drive.PushPull;
    if ((op === GpioOp.DirectionOutput || op === GpioOp.Set) && drive !== Drive.PushPull) {
      // gpio_set_config() fails (no .set_config), so gpiolib emulates the drive as gpiod_direction_output()
      // and gpio_set_open_{drain,source}_value_commit() do: the level the drive cannot drive is left to the
      // pull by switching the line to input; the other level is driven with direction_output.
      const released = drive === Drive.OpenDrain ? value !== 0 : value === 0;
      op = released ? (OP_EMULATED_RELEASE as GpioOp) : GpioOp.DirectionOutput;
    }
    const cookie = this._free.pop() ?? this._req.length;
    this._req[cookie] = who;
    this._tag[cookie] = tag;
    this._op[cookie] = op;
    this._line[cookie] = line;
    this._value[cookie] = value;
    this._emulated[cookie] = emulated;
    switch (op as number) {
      case GpioOp.GetDirection:
        return this._chip.call(line, MSG_GET_DIRECTION, 0, cookie);
      case GpioOp.DirectionInput:
        return this._chip.call(line, MSG_SET_DIRECTION, DIRECTION_IN, cookie);
      case GpioOp.DirectionOutput:
      case GpioOp.Set:
        return this._chip.call(line, MSG_SET_VALUE, value, cookie);
      case GpioOp.Get:
        return this._chip.call(line, MSG_GET_VALUE, 0, cookie);
      case GpioOp.Free:
        return this._chip.call(line, MSG_SET_DIRECTION, DIRECTION_NONE, cookie);
      case OP_EMULATED_RELEASE:
        return this._chip.call(line, MSG_SET_DIRECTION, DIRECTION_IN, cookie);
    }
  }

  /** The chip driver finished the message behind `cookie`. */
  callDone(cookie: number, result: number): void {
    const op = this._op[cookie] as number;
    const line = this._line[cookie] as number;
    if (op === GpioOp.DirectionOutput && this._value[cookie] !== -1) {
      if (result < 0) return this._done(cookie, result);
      // Second half of direction_output: the value is set, now switch the direction.
      this._value[cookie] = -1;
      return this._chip.call(line, MSG_SET_DIRECTION, DIRECTION_OUT, cookie);
    }
    let reconfigured = false;
    if ((op === GpioOp.DirectionInput || op === GpioOp.DirectionOutput) && !this._emulated[cookie] && result >= 0 && this.consumer[line] !== null) {
      // The consumer's first direction call configures its request (no event of its own); a later one
      // (gpiod_direction_*() on a held line) is a reconfiguration. The drive emulation's switches are not.
      if (this._configuring[line]) this._configuring[line] = 0;
      else reconfigured = true;
    }
    if (result >= 0) {
      if (op === GpioOp.DirectionInput) this.isOut[line] = 0;
      else if (op === GpioOp.DirectionOutput || op === OP_EMULATED_RELEASE) this.isOut[line] = 1; // Emulation keeps FLAG_IS_OUT.
      else if (op === GpioOp.GetDirection) {
        if (result === DIRECTION_OUT) this.isOut[line] = 1;
        else if (result === DIRECTION_IN) this.isOut[line] = 0;
        else result = EINVAL; // virtio_gpio_get_direction: NONE is not a Linux direction.
      }
    }
    if (reconfigured) this.notify(line, InfoEvent.Reconfigured);
    this._done(cookie, result);
  }

  private _done(cookie: number, result: number): void {
    const who = this._req[cookie] as GpioRequester | null;
    const tag = this._tag[cookie] as number;
    this._req[cookie] = null;
    this._free.push(cookie);
    who?.gpioDone(tag, result);
  }
}
