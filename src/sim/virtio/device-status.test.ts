import { describe, expect, it } from 'vitest';
import { describeStatus, writeStatus, type StatusWrite } from './device-status';

const ACK = 1;
const DRIVER = 2;
const DRIVER_OK = 4;
const FEATURES_OK = 8;
const NEEDS_RESET = 64;
const FAILED = 128;

const VERSION_1_HI = 1; // feature bit 32 = bit 0 of the high word
const EVENT_IDX_LO = 1 << 29;
const offered = { lo: EVENT_IDX_LO | 1, hi: VERSION_1_HI };
const goodAck = { lo: EVENT_IDX_LO, hi: VERSION_1_HI };

const w = (current: number, value: number, acked = goodAck, off = offered): StatusWrite => writeStatus(current, value, off, acked);

/** The initialization sequence of §3.1.1, one bit at a time. */
const SEQUENCE = [0, ACK, ACK | DRIVER, ACK | DRIVER | FEATURES_OK, ACK | DRIVER | FEATURES_OK | DRIVER_OK];

describe('writeStatus: the initialization sequence', () => {
  it('accepts RESET -> ACKNOWLEDGE -> DRIVER -> FEATURES_OK -> DRIVER_OK', () => {
    let status = 0;
    for (const next of SEQUENCE.slice(1)) {
      const r = w(status, next);
      expect(r).toEqual({ ok: true, status: next });
      status = r.status;
    }
    expect(status).toBe(15);
    expect(describeStatus(status)).toBe('ACKNOWLEDGE|DRIVER|FEATURES_OK|DRIVER_OK');
  });

  it.each([
    [0, DRIVER, 'DRIVER only after ACKNOWLEDGE'],
    [0, FEATURES_OK, 'FEATURES_OK only after ACKNOWLEDGE|DRIVER'],
    [0, DRIVER_OK, 'DRIVER_OK only after FEATURES_OK'],
    [ACK, ACK | FEATURES_OK, 'FEATURES_OK only after ACKNOWLEDGE|DRIVER'],
    [ACK, ACK | DRIVER_OK, 'DRIVER_OK only after FEATURES_OK'],
    [ACK | DRIVER, ACK | DRIVER | DRIVER_OK, 'DRIVER_OK only after FEATURES_OK'],
    [0, ACK | DRIVER, 'invalid status transition 0x0 -> 0x3'],
    [ACK, ACK | DRIVER | FEATURES_OK, 'invalid status transition 0x1 -> 0xb'],
    [0, 15, 'invalid status transition 0x0 -> 0xf'],
    [ACK | DRIVER, ACK | DRIVER | FEATURES_OK | FAILED, 'invalid status transition 0x3 -> 0x8b'],
    [ACK | DRIVER, ACK, 'status bits may only be added, never cleared (write 0 to reset)'],
    [15, ACK | DRIVER | FEATURES_OK, 'status bits may only be added, never cleared (write 0 to reset)'],
    [15, DRIVER_OK, 'status bits may only be added, never cleared (write 0 to reset)'],
    [ACK | DRIVER | FEATURES_OK | FAILED, 15 | FAILED, 'DRIVER_OK only after FEATURES_OK'],
  ])('refuses status %i -> %i with "%s" and keeps the status', (current, value, reason) => {
    expect(w(current, value)).toEqual({ ok: false, status: current, reason });
  });

  it('accepts exactly the next bit, FAILED, or a rewrite of the same value from every state of the sequence', () => {
    // Exhaustive over all 8-bit values the driver could write (0 excluded: reset).
    for (let i = 0; i < SEQUENCE.length; i++) {
      const cur = SEQUENCE[i] as number;
      const next = SEQUENCE[i + 1];
      const allowed = new Map<number, number>([
        [cur, cur],
        [cur | FAILED, cur | FAILED],
        // The driver cannot set NEEDS_RESET: the bit is ignored.
        [cur | NEEDS_RESET, cur],
        [cur | NEEDS_RESET | FAILED, cur | FAILED],
      ]);
      if (next !== undefined) {
        allowed.set(next, next);
        allowed.set(next | NEEDS_RESET, next);
      }
      for (let value = 1; value < 256; value++) {
        const r = w(cur, value);
        const want = allowed.get(value);
        if (want === undefined) {
          expect(r.ok, `0x${cur.toString(16)} -> 0x${value.toString(16)}`).toBe(false);
          expect(r.status).toBe(cur);
          expect(r.ok === false && r.reason.length > 0).toBe(true);
        } else {
          expect(r, `0x${cur.toString(16)} -> 0x${value.toString(16)}`).toEqual({ ok: true, status: want });
        }
      }
    }
  });
});

describe('writeStatus: feature negotiation at FEATURES_OK', () => {
  it('refuses a feature the device did not offer (low word)', () => {
    expect(w(ACK | DRIVER, ACK | DRIVER | FEATURES_OK, { lo: EVENT_IDX_LO | 2, hi: VERSION_1_HI })).toEqual({
      ok: false,
      status: ACK | DRIVER,
      reason: 'driver accepted a feature the device did not offer',
    });
  });

  it('refuses a feature the device did not offer (high word)', () => {
    const r = w(ACK | DRIVER, ACK | DRIVER | FEATURES_OK, { lo: 0, hi: VERSION_1_HI | 4 });
    expect(r).toEqual({ ok: false, status: ACK | DRIVER, reason: 'driver accepted a feature the device did not offer' });
  });

  it('handles feature bit 31 (the sign bit of the low word) both ways', () => {
    const bit31 = 0x8000_0000;
    const off31 = { lo: bit31, hi: VERSION_1_HI };
    expect(w(ACK | DRIVER, 11, { lo: bit31, hi: VERSION_1_HI }, off31).ok).toBe(true);
    expect(w(ACK | DRIVER, 11, { lo: bit31, hi: VERSION_1_HI }).ok).toBe(false);
  });

  it('refuses a driver that did not accept VERSION_1', () => {
    expect(w(ACK | DRIVER, ACK | DRIVER | FEATURES_OK, { lo: EVENT_IDX_LO, hi: 0 })).toEqual({
      ok: false,
      status: ACK | DRIVER,
      reason: 'VERSION_1 not accepted (legacy drivers are not modelled)',
    });
  });

  it('accepts VERSION_1 alone, or any offered subset with it', () => {
    expect(w(ACK | DRIVER, 11, { lo: 0, hi: VERSION_1_HI })).toEqual({ ok: true, status: 11 });
    expect(w(ACK | DRIVER, 11, { lo: EVENT_IDX_LO | 1, hi: VERSION_1_HI })).toEqual({ ok: true, status: 11 });
  });
});

describe('writeStatus: FAILED, reset and DEVICE_NEEDS_RESET', () => {
  it.each([0, ACK, ACK | DRIVER, 11, 15, 15 | NEEDS_RESET])('sets FAILED from status %i', (cur) => {
    expect(w(cur, cur | FAILED)).toEqual({ ok: true, status: cur | FAILED });
  });

  it.each([ACK, 15, 15 | FAILED, 15 | NEEDS_RESET, 15 | NEEDS_RESET | FAILED, FAILED])('resets to 0 from status %i', (cur) => {
    expect(w(cur, 0)).toEqual({ ok: true, status: 0 });
  });

  it('after FAILED refuses to continue initialization until reset', () => {
    expect(w(ACK | FAILED, ACK | DRIVER | FAILED)).toEqual({ ok: false, status: ACK | FAILED, reason: 'DRIVER only after ACKNOWLEDGE' });
    expect(w(w(ACK | FAILED, 0).status, ACK)).toEqual({ ok: true, status: ACK });
  });

  it('keeps DEVICE_NEEDS_RESET when the driver writes back the other bits without it', () => {
    expect(w(15 | NEEDS_RESET, 15)).toEqual({ ok: true, status: 15 | NEEDS_RESET });
    expect(w(15 | NEEDS_RESET, 15 | FAILED)).toEqual({ ok: true, status: 15 | NEEDS_RESET | FAILED });
  });

  it('accepts a read-modify-write that carries DEVICE_NEEDS_RESET back (Linux virtio_add_status)', () => {
    // Linux sets a bit with set_status(get_status() | bit): the value it writes
    // includes NEEDS_RESET when the device has set it.
    expect(w(15 | NEEDS_RESET, 15 | NEEDS_RESET | FAILED)).toEqual({ ok: true, status: 15 | NEEDS_RESET | FAILED });
    expect(w(15 | NEEDS_RESET, 15 | NEEDS_RESET)).toEqual({ ok: true, status: 15 | NEEDS_RESET });
  });

  it('refuses clearing a driver bit even with DEVICE_NEEDS_RESET set', () => {
    expect(w(15 | NEEDS_RESET, 11 | NEEDS_RESET)).toEqual({
      ok: false,
      status: 15 | NEEDS_RESET,
      reason: 'status bits may only be added, never cleared (write 0 to reset)',
    });
  });

  it('names the bits', () => {
    expect(describeStatus(0)).toBe('RESET');
    expect(describeStatus(ACK | NEEDS_RESET | FAILED)).toBe('ACKNOWLEDGE|DEVICE_NEEDS_RESET|FAILED');
  });
});
