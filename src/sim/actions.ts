import { vocabulary } from './vocabulary';

/**
 * Everything that can happen to a run from outside the simulated system: a
 * person driving a line or pressing a button, a client driver asked to change
 * its interrupt, a command typed in the guest's shell, a pause. The loader
 * (file -> action), the shell's simulator verbs (text -> action), the UI's
 * controls and anything else that steers a run produce these; Machine.apply()
 * is the only place that carries them out. Lines and clients are indices.
 */
export type Action =
  | { do: 'drive'; line: number; level: 0 | 1 }
  | { do: 'release'; line: number }
  | { do: 'pulse'; line: number; level: 0 | 1; widthNs: number }
  | { do: 'press'; line: number; pressed: boolean }
  | { do: 'clock'; line: number; periodNs: number; highNs: number; count: number | null }
  | { do: 'assert'; line: number }
  | { do: 'irq-type'; client: number; trigger: number }
  | { do: 'irq-disable'; client: number }
  | { do: 'irq-enable'; client: number }
  | { do: 'set-output'; client: number; value: 0 | 1 }
  | { do: 'shell'; command: string }
  | { do: 'pause' }
  | { do: 'inject-request'; msgType: number; gpio: number; value: number; request: RogueBuffer; response: RogueBuffer }
  | { do: 'inject-event'; gpio: number; request: RogueBuffer; response: RogueBuffer }
  | { do: 'inject-chain'; queue: number; descriptors: RogueDescriptor[]; head: number; availJump: number };

/** One buffer of an injected chain: its length and whether the device may write it. */
export interface RogueBuffer {
  len: number;
  write: boolean;
}

/**
 * One descriptor written raw into a queue's table (index taken modulo the queue
 * size); `addr` null means a scratch buffer of the misbehaving driver.
 */
export interface RogueDescriptor {
  index: number;
  addr: number | null;
  len: number;
  flags: number;
  next: number;
}

export type ActionKind = Action['do'];

/** Each kind's code, as traced in Step events (stable: trace hashes depend on them). */
export const ACTION_KINDS = vocabulary({
  drive: 1,
  release: 2,
  pulse: 3,
  press: 4,
  clock: 5,
  assert: 6,
  'irq-type': 7,
  'irq-disable': 8,
  'irq-enable': 9,
  'set-output': 10,
  shell: 11,
  pause: 12,
  'inject-request': 13,
  'inject-event': 14,
  'inject-chain': 15,
} satisfies Record<ActionKind, number>);

/**
 * An action at simulated time `at`. With `event`, it applies exactly after
 * that many processed events (how live actions are recorded, so a replay lands
 * them at the same place in the event order, not merely at the same time).
 */
export interface TimedAction {
  at: number;
  event?: number;
  action: Action;
}

/** Where an action came from; it decides how the action is traced. */
export const ActionOrigin = {
  /** A timeline step of the scenario, traced with its index. */
  Timeline: 0,
  /** Done live (the UI, a recorded step replayed at its exact event), traced as such. */
  Live: 1,
  /** A simulator verb typed in the shell: the shell traces the command line itself. */
  Shell: 2,
} as const;
export type ActionOrigin = (typeof ActionOrigin)[keyof typeof ActionOrigin];

/** What an action is checked against: the board as it is built. */
export interface ActionBoard {
  readonly ngpio: number;
  readonly clientCount: number;
  /** The kind of the world source wired to a line ('none', 'button', 'level-source', ...). */
  sourceKind(line: number): string;
  /** The kind of a client driver ('irq-consumer', 'output', ...). */
  clientKind(client: number): string;
}

/**
 * Limits of what a run can hold, shared by the scenario format (a file or link
 * must replay every live action) and the machine (a live action beyond them is
 * refused, with the reason): one simulated hour, and shell commands of at most
 * 1024 characters.
 */
export const MAX_DURATION_NS = 3_600_000_000_000;
export const MAX_SHELL_COMMAND = 1024;

/** Why an action cannot be carried out: the field at fault and a sentence without it. */
export interface ActionError {
  field: 'line' | 'client' | 'command' | 'time';
  message: string;
}

/**
 * The one validator: an action names an existing line or client, a press
 * needs a button, an assert a level source, an interrupt change an
 * irq-consumer, set-output an output client. Null when the action is fine.
 */
export function checkAction(a: Action, board: ActionBoard): ActionError | null {
  switch (a.do) {
    case 'drive':
    case 'release':
    case 'pulse':
    case 'clock':
      return checkLine(a.line, board);
    case 'press':
      return checkLine(a.line, board) ?? wiredTo(a.line, 'button', 'a button', board);
    case 'assert':
      return checkLine(a.line, board) ?? wiredTo(a.line, 'level-source', 'a level source', board);
    case 'irq-type':
    case 'irq-disable':
    case 'irq-enable':
      return checkClient(a.client, 'irq-consumer', 'an irq-consumer', board);
    case 'set-output':
      return checkClient(a.client, 'output', 'an output client', board);
    case 'shell':
    case 'pause':
    // Injected traffic may name any gpio, queue or address: that is its point.
    case 'inject-request':
    case 'inject-event':
    case 'inject-chain':
      return null;
  }
}

function checkLine(line: number, board: ActionBoard): ActionError | null {
  if (Number.isInteger(line) && line >= 0 && line < board.ngpio) return null;
  return { field: 'line', message: `line ${line} does not exist (the device has ${board.ngpio} lines)` };
}

function wiredTo(line: number, kind: string, what: string, board: ActionBoard): ActionError | null {
  const k = board.sourceKind(line);
  return k === kind ? null : { field: 'line', message: `line ${line} is not wired to ${what} (its source is '${k}')` };
}

function checkClient(client: number, kind: string, what: string, board: ActionBoard): ActionError | null {
  if (!Number.isInteger(client) || client < 0 || client >= board.clientCount) {
    return { field: 'client', message: `client ${client} does not exist (${board.clientCount} clients)` };
  }
  return board.clientKind(client) === kind ? null : { field: 'client', message: `client ${client} is not ${what}` };
}
