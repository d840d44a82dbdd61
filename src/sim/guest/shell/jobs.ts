/**
 * Job control's moving parts: the Job base class (one simulated process, with
 * signals that wait out an uninterruptible call), LineHoldingJob (gpioget and
 * gpioset), the JobHost interface (the shell's side of a job), the line flags
 * table a job's request fills, signal numbers and bash's job status words.
 */
import type { GpioRequester } from '../gpiolib';
import type { ShellPort } from './port';

export const SIGINT = 2;
export const SIGKILL = 9;
export const SIGTERM = 15;

/** bash's job status words. */
export function jobLabel(status: number, sig: number): string {
  if (sig === SIGINT) return 'Interrupt';
  if (sig === SIGTERM) return 'Terminated';
  if (sig === SIGKILL) return 'Killed';
  return status === 0 ? 'Done' : `Exit ${status}`;
}

/**
 * Descriptor flags a tool's line request sets (FLAG_ACTIVE_LOW, the bias, the
 * edge flags, the event clock) and gpioinfo reports while the line is held.
 * gpio-virtio has no .set_config, so a bias is recorded but changes nothing
 * on the wire, exactly as on a real virtio-gpio guest.
 */
export interface LineFlags {
  activeLow: boolean;
  bias: string;
  /** Logical edges requested (EdgeFlags), for gpiomon lines. */
  edges: number;
  clock: string;
  /** 'open-drain' / 'open-source' (gpioset --drive); absent for push-pull. */
  drive?: string;
  /** gpiomon --debounce-period, in microseconds (0 or absent: none). */
  debounceUs?: number;
}

/** The shell's side of a job: output, end, timers, and the line flags table. */
export interface JobHost {
  readonly port: ShellPort;
  out(job: Job, text: string): void;
  ended(job: Job, status: number, signal: number): void;
  setTimer(delayNs: number, fn: () => void): number;
  clearTimer(id: number): void;
  daemonize(job: Job): void;
  readonly flags: (LineFlags | undefined)[];
}

/**
 * A running tool: one simulated process. It is in an uninterruptible kernel
 * call (`syscall`) while it waits for virtio requests (wait_for_completion in
 * the driver, no timeout); a signal then stays pending until the call returns.
 */
export abstract class Job implements GpioRequester {
  /** Job number ([1]), 0 while it never left the foreground. */
  num = 0;
  pid = 0;
  /** The command line as typed (sanitized), for jobs and notices. */
  text = '';
  background = false;
  /** gpioset -z: detached with daemon(), not started with '&'. */
  daemon = false;
  done = false;
  protected syscall = false;
  private _pendingSignal = 0;
  protected readonly host: JobHost;
  readonly prog: string;

  constructor(host: JobHost, prog: string) {
    this.host = host;
    this.prog = prog;
  }

  abstract start(): void;
  /** Gives back everything the job holds (lines, timers); safe to call twice. */
  protected abstract release(): void;

  /** A signal is waiting for an uninterruptible call to return. */
  get stuck(): boolean {
    return this.syscall && this._pendingSignal !== 0;
  }

  /** Delivers a signal: now, or when the current uninterruptible call returns. */
  signal(sig: number): void {
    if (this.done) return;
    if (this.syscall) {
      if (this._pendingSignal === 0) this._pendingSignal = sig;
      return;
    }
    this.exit(128 + sig, sig);
  }

  /** Ends an uninterruptible call; true when a pending signal ended the job. */
  protected syscallEnd(): boolean {
    this.syscall = false;
    if (this._pendingSignal === 0) return false;
    this.exit(128 + this._pendingSignal, this._pendingSignal);
    return true;
  }

  protected exit(status: number, sig = 0): void {
    if (this.done) return;
    this.done = true;
    this.syscall = false;
    this.release();
    this.host.ended(this, status, sig);
  }

  protected print(text: string): void {
    if (!this.done) this.host.out(this, text);
  }

  /** die(): an error message, then exit status 1. */
  protected die(msg: string): void {
    this.print(`${this.prog}: ${msg}\n`);
    this.exit(1);
  }

  gpioDone(_tag: number, _result: number): void {}

  /** The job reads the terminal (gpioset -i): lines typed while it is in the foreground go to input(). */
  get readsInput(): boolean {
    return false;
  }

  /** A line typed at the job's own prompt. */
  input(_line: string): void {}
}

/** A job that requests lines and holds them until it ends (gpioget, gpioset), with at most one timer. */
export abstract class LineHoldingJob extends Job {
  /** Offsets requested so far, released (SET_DIRECTION NONE through .free) when the job ends. */
  protected readonly held: number[] = [];
  protected timer = -1;

  protected release(): void {
    if (this.timer >= 0) this.host.clearTimer(this.timer);
    this.timer = -1;
    for (const off of this.held.splice(0)) {
      this.host.flags[off] = undefined;
      this.host.port.gpiolib.release(off);
    }
  }
}

/** Tags of a line-holding job's gpiolib calls, told back in gpioDone(). */
export const TAG_DIR = 1;
export const TAG_GET = 2;
export const TAG_SET = 3;
