import { describe, expect, it } from 'vitest';
import { checkWholeNumber, LATENCY_RULE, SEED_RULE } from './number-field';

const seed = (t: string) => checkWholeNumber(t, { name: 'seed', ...SEED_RULE });
const notify = (t: string) => checkWholeNumber(t, { name: 'notify', ...LATENCY_RULE });

describe('whole-number settings', () => {
  it('accepts what is in range, as typed', () => {
    expect(seed('0')).toEqual({ ok: true, value: 0 });
    expect(seed(' 4294967295 ')).toEqual({ ok: true, value: 4294967295 });
    expect(notify('2500')).toEqual({ ok: true, value: 2500 });
  });
  it('refuses a negative latency instead of using 0 while showing -5', () => {
    expect(notify('-5')).toEqual({ ok: false, error: 'notify must be 0 or more' });
  });
  it('refuses a seed beyond 32 bits instead of wrapping it (99999999999 would run as 1215752191)', () => {
    expect(seed('99999999999')).toEqual({ ok: false, error: 'seed must be at most 4294967295' });
    expect(seed('4294967296')).toEqual({ ok: false, error: 'seed must be at most 4294967295' });
    expect(seed('123456789012345678901234')).toEqual({ ok: false, error: 'seed must be at most 4294967295' });
  });
  it('refuses text that is not a plain whole number', () => {
    expect(seed('')).toEqual({ ok: false, error: 'seed: enter a whole number' });
    expect(notify('1.5')).toEqual({ ok: false, error: 'notify: "1.5" is not a whole number' });
    expect(notify('1e3')).toEqual({ ok: false, error: 'notify: "1e3" is not a whole number' });
    expect(notify('0x10')).toEqual({ ok: false, error: 'notify: "0x10" is not a whole number' });
  });
  it('refuses a latency longer than one simulated hour', () => {
    expect(notify('3600000000001')).toEqual({ ok: false, error: 'notify must be at most 3600000000000' });
  });
});
