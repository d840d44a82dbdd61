import { describe, expect, test } from 'vitest';
import { ACTION_KINDS } from '../actions';
import { EVENTQ, IRQ_TYPE_EDGE_BOTH, MSG_SET_IRQ_TYPE, REQUESTQ } from '../gpio/constants';
import { Machine } from '../machine';
import { libraryEntry } from '../scenario/library/index';
import { loadScenario, resolveScenario } from '../scenario/load';
import { LevelCause, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { SEQ_LANES, lanesOf, sequenceOf, type SeqMessage } from './sequence';

const ev = (kind: number, line: number, a: number, b = 0, c = 0): SeqMessage => sequenceOf({ seq: 7, t: 100, kind, line, a, b, c });
const short = (m: SeqMessage): string => `${m.from} -> ${m.to}: ${m.label}`;

function calmBoard(): Machine {
  const s = loadScenario(JSON.stringify(libraryEntry('calm-board')?.scenario));
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  return new Machine(cfg.value);
}

describe('the sequence chart of follow mode', () => {
  test('every trace kind has a place on two of the six lanes and a label that is not its raw fields', () => {
    for (const kind of Object.values(TK)) {
      const m = ev(kind, 1, 1, 2, 1);
      expect(SEQ_LANES).toContain(m.from);
      expect(SEQ_LANES).toContain(m.to);
      expect(m.label.length).toBeGreaterThan(3);
      expect(m.label).not.toMatch(/^[A-Z][A-Za-z]+ -?\d+ -?\d+ -?\d+$/);
      expect(m.text).not.toBe('');
    }
  });

  test('a SET_IRQ_TYPE request travels from requestq to the device with its type spelled as in the spec', () => {
    const m = ev(TK.MsgRequest, 0, MSG_SET_IRQ_TYPE, IRQ_TYPE_EDGE_BOTH, 4);
    expect(short(m)).toBe('requestq -> device: SET_IRQ_TYPE gpio 0 type EDGE_BOTH');
    expect(m.ring).toEqual({ queue: REQUESTQ, head: 4 });
    expect(m.line).toBe(0);
  });

  test('the eventq buffer goes back VALID from the device, and the ring entry it used is named', () => {
    const m = ev(TK.EvqReturn, 0, 1, 6, 1);
    expect(short(m)).toBe('device -> eventq: eventq buffer gpio 0 returned VALID');
    expect(m.ring).toEqual({ queue: EVENTQ, head: 6 });
  });

  test('a world edge arrives from the line; a device output goes to it', () => {
    expect(short(ev(TK.LineLevel, 3, 0, LevelCause.World))).toBe('line -> device: line 3 falls to 0');
    expect(short(ev(TK.LineLevel, 2, 1, LevelCause.DeviceOutput))).toBe('device -> line: drives line 2 to 1');
  });

  test('a shell step is the client side, a press is the world', () => {
    expect(short(ev(TK.Step, -1, 0, ACTION_KINDS.code.shell))).toBe('client -> client: step: shell');
    expect(short(ev(TK.Step, -1, 0, ACTION_KINDS.code.press))).toBe('line -> line: step: press');
  });

  test('lanesOf orders the two lanes left to right', () => {
    expect(lanesOf({ from: 'device', to: 'driver' })).toEqual([1, 4]);
    expect(lanesOf({ from: 'client', to: 'client' })).toEqual([0, 0]);
  });

  test('a calm-board button press is one round trip: edge, VALID, handler, re-queue, buffer held again', () => {
    const m = calmBoard();
    m.runUntil(999_999);
    const from = m.trace.total;
    m.runUntil(1_100_000);
    const chart: string[] = [];
    for (let s = from; s < m.trace.total; s++) {
      const msg = sequenceOf(m.trace.get(s) as TraceEvent);
      if (msg.from !== msg.to) chart.push(short(msg));
    }
    expect(chart).toEqual([
      'line -> device: line 0 falls to 0',
      'device -> eventq: eventq buffer gpio 0 returned VALID',
      'device -> eventq: used: chain 0, length 1',
      'device -> driver: eventq interrupt: delivered',
      'eventq -> driver: driver takes used chain 0',
      'eventq -> driver: driver reads gpio 0: VALID',
      'driver -> client: handler of client 0, gpio 0 (call 1)',
      'client -> driver: handler returns (call 1)',
      'driver -> eventq: add chain 0 (avail idx 3)',
      'driver -> device: kick eventq',
      'eventq -> device: device takes chain 0',
      "eventq -> device: device holds gpio 0's eventq buffer",
    ]);
  });
});
