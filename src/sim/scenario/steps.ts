import { checkAction, type Action, type ActionBoard, type TimedAction } from '../actions';
import { IRQ_TYPES, MSGS } from '../gpio/constants';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../virtio/constants';
import { DESC_FLAG_NAMES, type ScenarioInput, type ScenarioStep } from './schema';

/** Descriptor flag names in files <-> VIRTQ_DESC_F_* bits. */
const DESC_FLAG_BITS: Record<(typeof DESC_FLAG_NAMES)[number], number> = { next: VIRTQ_DESC_F_NEXT, write: VIRTQ_DESC_F_WRITE, indirect: VIRTQ_DESC_F_INDIRECT };
const QUEUE_NAMES = ['requestq', 'eventq'] as const;

/** A timeline step as a scenario file holds it (lines and clients by index or name). */
export type StepInput = NonNullable<ScenarioInput['timeline']>[number];

/** What resolving a step needs: the board, and how to turn a name into a line or client index. */
export interface StepContext extends ActionBoard {
  /** A line by number or name; throws a StepError naming `where` when there is none. */
  line(ref: string | number, where: string): number;
  client(ref: string | number, where: string): number;
}

/** A step that cannot become an action; the message names the field. */
export class StepError extends Error {}

/**
 * File -> actions: one timeline step becomes the action it describes, checked
 * by the one validator (a press needs a button, and so on). A press with
 * `hold` becomes two actions, the release `hold` later.
 */
export function resolveStep(st: ScenarioStep, ctx: StepContext, where: string): TimedAction[] {
  const at = (action: Action, t = st.at): TimedAction => (st.event === undefined ? { at: t, action } : { at: t, event: st.event, action });
  const line = (ref: string | number): number => ctx.line(ref, `${where}.line`);
  const client = (ref: string | number): number => ctx.client(ref, `${where}.client`);
  let action: Action;
  switch (st.do) {
    case 'drive':
      action = { do: 'drive', line: line(st.line), level: st.level };
      break;
    case 'release':
      action = { do: 'release', line: line(st.line) };
      break;
    case 'pulse':
      action = { do: 'pulse', line: line(st.line), level: st.level, widthNs: st.width };
      break;
    case 'press':
      action = { do: 'press', line: line(st.line), pressed: st.pressed };
      break;
    case 'clock': {
      const high = st.high ?? Math.floor(st.period / 2);
      if (high <= 0 || high >= st.period) throw new StepError(`${where}.high: the high time must be inside the period`);
      action = { do: 'clock', line: line(st.line), periodNs: st.period, highNs: high, count: st.count ?? null };
      break;
    }
    case 'assert':
      action = { do: 'assert', line: line(st.line) };
      break;
    case 'irq-type':
      action = { do: 'irq-type', client: client(st.client), trigger: IRQ_TYPES.code[st.trigger] };
      break;
    case 'irq-disable':
      action = { do: 'irq-disable', client: client(st.client) };
      break;
    case 'irq-enable':
      action = { do: 'irq-enable', client: client(st.client) };
      break;
    case 'set-output':
      action = { do: 'set-output', client: client(st.client), value: st.value };
      break;
    case 'shell':
      action = { do: 'shell', command: st.command };
      break;
    case 'pause':
      action = { do: 'pause' };
      break;
    case 'inject-request':
      action = {
        do: 'inject-request',
        msgType: typeof st.type === 'string' ? MSGS.code[st.type] : st.type,
        gpio: st.gpio,
        value: st.value,
        request: { len: st.requestLen, write: st.requestWritable },
        response: { len: st.responseLen, write: st.responseWritable },
      };
      break;
    case 'inject-event':
      action = { do: 'inject-event', gpio: st.gpio, request: { len: st.requestLen, write: st.requestWritable }, response: { len: st.responseLen, write: st.responseWritable } };
      break;
    case 'inject-chain':
      action = {
        do: 'inject-chain',
        queue: QUEUE_NAMES.indexOf(st.queue),
        descriptors: st.descriptors.map((d) => ({ index: d.index, addr: d.addr ?? null, len: d.len, flags: d.flags.reduce((f, n) => f | DESC_FLAG_BITS[n], 0), next: d.next })),
        head: st.head ?? (st.descriptors[0] as { index: number }).index,
        availJump: st.availJump,
      };
      break;
  }
  const err = checkAction(action, ctx);
  if (err) throw new StepError(`${where}.${err.field}: ${err.message}`);
  const out = [at(action)];
  if (st.do === 'press' && st.hold !== undefined && action.do === 'press') {
    if (st.event !== undefined) throw new StepError(`${where}.hold: "hold" cannot be combined with "event"`);
    out.push(at({ do: 'press', line: action.line, pressed: !action.pressed }, st.at + st.hold));
  }
  return out;
}

/** Action -> file: the timeline step that loads back to exactly this action (lines and clients by index). */
export function actionStep(t: TimedAction): StepInput {
  const a = t.action;
  const when = t.event === undefined ? { at: t.at } : { at: t.at, event: t.event };
  switch (a.do) {
    case 'drive':
      return { ...when, do: 'drive', line: a.line, level: a.level };
    case 'release':
      return { ...when, do: 'release', line: a.line };
    case 'assert':
      return { ...when, do: 'assert', line: a.line };
    case 'pulse':
      return { ...when, do: 'pulse', line: a.line, level: a.level, width: a.widthNs };
    case 'press':
      return { ...when, do: 'press', line: a.line, pressed: a.pressed };
    case 'clock':
      return { ...when, do: 'clock', line: a.line, period: a.periodNs, high: a.highNs, ...(a.count !== null ? { count: a.count } : {}) };
    case 'irq-type':
      return { ...when, do: 'irq-type', client: a.client, trigger: IRQ_TYPES.name(a.trigger) ?? 'none' };
    case 'irq-disable':
      return { ...when, do: 'irq-disable', client: a.client };
    case 'irq-enable':
      return { ...when, do: 'irq-enable', client: a.client };
    case 'set-output':
      return { ...when, do: 'set-output', client: a.client, value: a.value };
    case 'shell':
      return { ...when, do: 'shell', command: a.command };
    case 'pause':
      return { ...when, do: 'pause' };
    case 'inject-request':
      return {
        ...when,
        do: 'inject-request',
        type: MSGS.name(a.msgType) ?? a.msgType,
        gpio: a.gpio,
        value: a.value,
        requestLen: a.request.len,
        responseLen: a.response.len,
        requestWritable: a.request.write,
        responseWritable: a.response.write,
      };
    case 'inject-event':
      return { ...when, do: 'inject-event', gpio: a.gpio, requestLen: a.request.len, responseLen: a.response.len, requestWritable: a.request.write, responseWritable: a.response.write };
    case 'inject-chain':
      return {
        ...when,
        do: 'inject-chain',
        queue: QUEUE_NAMES[a.queue] ?? 'requestq',
        descriptors: a.descriptors.map((d) => ({
          index: d.index,
          ...(d.addr !== null ? { addr: d.addr } : {}),
          len: d.len,
          flags: DESC_FLAG_NAMES.filter((n) => (d.flags & DESC_FLAG_BITS[n]) !== 0),
          next: d.next,
        })),
        head: a.head,
        availJump: a.availJump,
      };
  }
}
