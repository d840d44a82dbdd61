import { describe, expect, it } from 'vitest';
import { liveUrlFromHash, notLive } from './live-source';

describe('the live source (vgpio guest --ui)', () => {
  it('reads the WebSocket URL from the page fragment vgpio prints, or a full ws:// URL', () => {
    expect(liveUrlFromHash('#live=40123.abcdefghijklmnopqrstuvwxyz_-0123', '127.0.0.1')).toBe('ws://127.0.0.1:40123/live?token=abcdefghijklmnopqrstuvwxyz_-0123');
    expect(liveUrlFromHash('#live=ws%3A%2F%2F127.0.0.1%3A5%2Flive%3Ftoken%3Dx', 'h')).toBe('ws://127.0.0.1:5/live?token=x');
  });

  it('is not live for scenario hashes, links or a malformed live value', () => {
    expect(liveUrlFromHash('', 'h')).toBeNull();
    expect(liveUrlFromHash('#scenario=calm-board', 'h')).toBeNull();
    expect(liveUrlFromHash('#live=40123.short', 'h')).toBeNull();
    expect(liveUrlFromHash('#live=javascript:alert(1)', 'h')).toBeNull();
    // Malformed percent-encoding: not live, and no throw before the page mounts.
    for (const bad of ['#live=%', '#live=%E0%A4%A', '#live=%zz']) expect(liveUrlFromHash(bad, 'h')).toBeNull();
  });

  it('sends frames, actions, inspect and detail, and explains every simulation-only command instead', () => {
    expect(notLive({ type: 'frame' })).toBeNull();
    expect(notLive({ type: 'action', action: { do: 'drive', line: 3, level: 1 } })).toBeNull();
    expect(notLive({ type: 'inspect', line: 2 })).toBeNull();
    expect(notLive({ type: 'detail', queues: true })).toBeNull();
    expect(notLive({ type: 'seek', t: null })).toBeNull();
    expect(notLive({ type: 'step' })).toContain('cannot be paused, stepped');
    expect(notLive({ type: 'seek', t: 5 })).toContain('cannot travel back in time');
    expect(notLive({ type: 'share' })).toContain('cannot be shared as a link');
    expect(notLive({ type: 'settings', patch: {} })).toContain('Open the app without #live');
    expect(notLive({ type: 'terminal', data: 'x' })).toContain('read only');
  });
});
