import { describe, expect, test } from 'vitest';
import fixture from '../../e2e/fixtures/real-guest.jsonl?raw';
import { readRecording } from '../sim/index';
import type { Command, Message } from '../worker/protocol';
import { recordingState, RecordingSource } from './recording-source';

function open(): { src: RecordingSource; got: Message[]; flush: () => Promise<void> } {
  const r = readRecording(fixture);
  if (!r.ok) throw new Error(r.error);
  const src = new RecordingSource(r.value);
  const got: Message[] = [];
  src.onmessage = (e) => got.push(e.data);
  return { src, got, flush: () => new Promise((resolve) => setTimeout(resolve, 0)) };
}

describe('a recording as the page\u2019s source', () => {
  test('a load is answered with the recording: loaded (read only, its lines) and one ended batch with every record', async () => {
    const { src, got, flush } = open();
    src.postMessage({ type: 'load', source: { kind: 'library', id: 'x' } });
    await flush();
    expect(got.map((m) => m.type)).toEqual(['loaded', 'batch']);
    const loaded = got[0] as Extract<Message, { type: 'loaded' }>;
    expect(loaded.info.recording).toBe(true);
    expect(loaded.info.lines.map((l) => l.name)).toContain('clock');
    const batch = got[1] as Extract<Message, { type: 'batch' }>;
    expect(batch.status).toBe('ended');
    expect(batch.trace?.t.length).toBe(219);
    expect(batch.traceTotal).toBe(219);
    expect(batch.view.lines.level[2]).toBe(1);
    expect(recordingState()?.counts.requests).toBe(28);
    src.terminate();
    expect(recordingState()).toBeNull();
  });

  test('time travel gets the view at that instant; running, driving, settings and sharing get the reason they are off', async () => {
    const { src, got, flush } = open();
    src.postMessage({ type: 'seek', t: 0 });
    const refused: Command[] = [
      { type: 'run' },
      { type: 'step' },
      { type: 'action', action: { do: 'drive', line: 2, level: 0 } },
      { type: 'settings', patch: {} },
      { type: 'share' },
      { type: 'export', format: 'jsonl' },
      { type: 'terminal', data: 'ls' },
    ];
    for (const c of refused) src.postMessage(c);
    src.postMessage({ type: 'frame' });
    await flush();
    expect(got[0]).toMatchObject({ type: 'snapshot', t: 0 });
    expect((got[0] as Extract<Message, { type: 'snapshot' }>).view.processed).toBe(0);
    expect(got.slice(1).map((m) => m.type)).toEqual(refused.map(() => 'error'));
    expect((got[3] as Extract<Message, { type: 'error' }>).message).toContain('cannot be driven');
    src.terminate();
  });
});
