import { describe, expect, test } from 'vitest';
import { ACTION_KINDS } from '../actions';
import { IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_LEVEL_HIGH, MSG_SET_IRQ_TYPE } from '../gpio/constants';
import { Callback, Flag } from '../guest/gpio-driver';
import { machineFor } from '../testing/build';
import { DeliveryResult, EventCause, OracleLabel, SinkState, TK } from '../trace/kinds';
import { describeEvent, eventRecord, requestBytes } from './describe';

const ev = (kind: number, line: number, a: number, b = 0, c = 0): string => describeEvent({ seq: 0, t: 0, kind, line, a, b, c });

describe('words for trace events', () => {
  test('every event kind has its own sentence, never the raw fields', () => {
    for (const kind of Object.values(TK)) expect(ev(kind, 1, 1, 2, 1)).not.toMatch(/^[A-Z][A-Za-z]+ -?\d+ -?\d+ -?\d+$/);
  });

  test('a request shows its message, line, value and the 8 bytes the device read', () => {
    expect(ev(TK.MsgRequest, 3, MSG_SET_IRQ_TYPE, IRQ_TYPE_EDGE_FALLING, 5)).toBe('SET_IRQ_TYPE gpio 3 value 2 [06 00 03 00 02 00 00 00]');
    expect(requestBytes(MSG_SET_IRQ_TYPE, 0x1234, 0x01020304)).toBe('06 00 34 12 04 03 02 01');
  });

  test('a response says OK or ERR and shows the two status and value bytes', () => {
    expect(ev(TK.MsgResponse, 1, 4, 0 | (1 << 8), 2)).toBe('device answers GET_VALUE gpio 1: OK value 1 [00 01], used length 2');
    expect(ev(TK.MsgResponse, 1, 6, 1, 2)).toBe('device answers SET_IRQ_TYPE gpio 1: ERR value 0 [01 00], used length 2');
  });

  test('an eventq return names VALID and INVALID as the spec does', () => {
    expect(ev(TK.EvqReturn, 0, 1, 7, 1)).toBe("device returns gpio 0's eventq buffer VALID [01], used length 1");
    expect(ev(TK.EvqReturn, 0, 0, 7, 1)).toBe("device returns gpio 0's eventq buffer INVALID [00], used length 1");
  });

  test('a device-side interrupt event says what caused it, what became of it and the sink state after', () => {
    expect(ev(TK.DevIrqEvent, 2, DeliveryResult.Masked, SinkState.Masked, EventCause.Falling)).toBe('device: falling edge on gpio 2: masked; sink now masked');
    expect(ev(TK.DevIrqEvent, 2, DeliveryResult.Coalesced, SinkState.Latched, EventCause.Rising)).toBe('device: rising edge on gpio 2: coalesced; sink now latched');
  });

  test('driver flags are listed by their Linux names', () => {
    expect(ev(TK.DrvFlags, 4, Flag.Masked | Flag.Queued, Callback.Unmask, IRQ_TYPE_LEVEL_HIGH)).toBe('driver irq_unmask: gpio 4 [masked queued] type level-high');
    expect(ev(TK.DrvFlags, 4, 0, Callback.Prepare, 0)).toBe('driver prepare (queue buffer): gpio 4 [-] type none');
  });

  test('oracle labels: a lost interrupt counts what was owed; a call says what it covered', () => {
    expect(ev(TK.OracleLabel, 0, OracleLabel.Lost, 1, -1)).toBe('oracle: 1 owed interrupt on gpio 0 LOST');
    expect(ev(TK.OracleLabel, 0, OracleLabel.Lost, 2, -1)).toBe('oracle: 2 owed interrupts on gpio 0 LOST');
    expect(ev(TK.OracleLabel, 0, OracleLabel.Coalesced, 3, 4)).toBe('oracle: call 4 on gpio 0 COALESCED (covers 3)');
  });

  test('a step names its action kind, and live steps say so', () => {
    expect(ev(TK.Step, -1, 2, ACTION_KINDS.code.press, 0)).toBe('step 2: press');
    expect(ev(TK.Step, -1, -1, ACTION_KINDS.code['irq-type'], 1)).toBe('step (live): irq-type');
  });

  test('the JSON record of a real run carries the category, the kind name and the sentence', () => {
    const m = machineFor({ device: { lines: [{ name: 'b', pull: 'up' }] } });
    m.runUntil(1_000_000);
    const first = m.trace.get(m.trace.firstSeq)!;
    const rec = eventRecord(first);
    expect(rec).toMatchObject({ seq: first.seq, t: first.t, kind: expect.any(String), cat: expect.any(String), text: describeEvent(first) });
  });
});

describe('misbehaving-driver and irqfd events have words', () => {
  test('a raw descriptor shows its 16 bytes; a failed publish and the irqfd parties are named', () => {
    const ev = (kind: number, line: number, a: number, b: number, c: number) => ({ seq: 0, t: 0, kind, line, a, b, c });
    expect(describeEvent(ev(TK.RogueDesc, 3, 1 | (3 << 4) | (7 << 16), 0x1234, 2))).toBe(
      'misbehaving driver writes eventq descriptor 3: addr 0x00001234 len 2 flags NEXT|WRITE next 7 [34 12 00 00 00 00 00 00 02 00 00 00 03 00 07 00]',
    );
    expect(describeEvent(ev(TK.RoguePublish, -1, 0, -1, 0))).toBe('misbehaving driver could not put a chain on requestq (queue not set up, broken or full)');
    expect(describeEvent(ev(TK.IrqLine, -1, 2, 0, 1))).toBe("KVM: QEMU's deassert (from the guest's ISR read) drops INTx GSI 11, with ISR 0x01 still set");
    expect(describeEvent(ev(TK.IrqResample, -1, 1, 1, 0))).toBe('back end gets the resample eventfd: ISR 0x01, asserts again');
  });
});
