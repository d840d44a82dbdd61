/**
 * The shell's port: the only thing the shell knows of the outside. The
 * machine implements it; the shell, its tools and its verbs read and act
 * through nothing else.
 */
import type { Action, ActionError } from '../../actions';
import type { Wire } from '../../gpio/wire';
import type { GpiomonReader } from '../clients';
import type { Gpiolib } from '../gpiolib';

/**
 * What the shell may read and do: the guest kernel's gpiolib, which its tools
 * go through as real libgpiod tools go through the kernel; a few facts about
 * the board for its verbs; timers; and the one act() by which a verb changes
 * the world outside the device.
 */
export interface ShellPort {
  /** Simulated time now (ns). */
  readonly now: number;
  /** The kernel's gpiolib: the tools request lines and make their calls through it. */
  readonly gpiolib: Gpiolib;
  /** The physical lines, read by `levels`. */
  readonly wire: Pick<Wire, 'level' | 'worldDrive' | 'deviceDrive' | 'pull' | 'contended'>;
  /** Lines on the board. */
  readonly ngpio: number;
  /** The board's line names (the device's, else what the driver read), or null. */
  lineNames(): readonly string[] | null;
  /** The kind of the world source wired to a line. */
  sourceKind(line: number): string;
  /** The irq-consumer client of a line, or -1. */
  consumerOn(line: number): number;
  /** gpiochip0 is registered (the guest driver probed it). */
  registered(): boolean;
  /** gpiochip0 is registered, or its probe failed: commands may run. */
  ready(): boolean;
  /** The cdev edge request gpiomon makes: a reader on these lines (the caller starts it). */
  addGpiomon(lines: number[], edges: 'rising' | 'falling' | 'both', name: string, debounceNs?: number): GpiomonReader;
  /** Carries out an action (the simulator verbs); returns why it was refused, or null. */
  act(action: Action): ActionError | null;
  /** Calls timer(id) after `ns` of simulated time. */
  setTimer(ns: number, id: number): void;
  /** Records command number `n` in the trace. */
  traceCommand(n: number): void;
}
