import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type Message } from './protocol';

describe('messages over a WebSocket (encodeMessage / decodeMessage)', () => {
  it('bring typed arrays back as the same typed arrays with the same values', () => {
    const msg: Message = { type: 'snapshot', t: 5, view: { lines: { level: Uint8Array.of(1, 0), latch: Uint16Array.of(65535), delivered: Uint32Array.of(7) }, t: Float64Array.of(1.5) } as never };
    const back = decodeMessage(encodeMessage(msg)) as Extract<Message, { type: 'snapshot' }>;
    const v = back.view as unknown as { lines: { level: Uint8Array; latch: Uint16Array; delivered: Uint32Array }; t: Float64Array };
    expect(v.lines.level).toBeInstanceOf(Uint8Array);
    expect([...v.lines.level]).toEqual([1, 0]);
    expect(v.lines.latch).toBeInstanceOf(Uint16Array);
    expect([...v.lines.latch]).toEqual([65535]);
    expect(v.lines.delivered).toBeInstanceOf(Uint32Array);
    expect(v.t).toBeInstanceOf(Float64Array);
    expect([...v.t]).toEqual([1.5]);
  });

  it('reject text that is not a message, and leave unknown typed-array tags alone', () => {
    expect(decodeMessage('not json')).toBeNull();
    expect(decodeMessage('[1]')).toBeNull();
    expect(decodeMessage('{"no":"type"}')).toBeNull();
    const m = decodeMessage('{"type":"error","message":{"$typed":"Function","v":[1]}}') as unknown as { message: unknown };
    expect(m.message).toEqual({ $typed: 'Function', v: [1] });
  });
});
