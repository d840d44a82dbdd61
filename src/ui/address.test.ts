import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command, CompareView } from '../worker/protocol';

const sent: Command[] = [];
let answer: { result: CompareView | null; error: string } = { result: null, error: 'x' };
vi.mock('./sim-client', () => ({
  client: {
    send: (cmd: Command) => sent.push(cmd),
    compare: (settings: string[]) => {
      sent.push({ type: 'compare', req: 0, settings });
      return Promise.resolve(answer);
    },
    liveUrl: null,
    lastLoad: { source: null, requested: false },
  },
}));

const { appActions, useApp } = await import('./store');
const { addressHash, sourceAfterLoad, viewOf } = await import('./address');
const { syncCompare } = await import('./compare-sync');

afterEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  sent.length = 0;
});

describe('the address bar names what the page shows, or nothing', () => {
  it('a built-in scenario picked or opened by address: #scenario=<id>; an unchanged link: the link', () => {
    expect(sourceAfterLoad({ source: { kind: 'library', id: 'mask-by-none-loses-edge' }, requested: true }, 'mask-by-none-loses-edge')).toBe('scenario=mask-by-none-loses-edge');
    expect(sourceAfterLoad({ source: { kind: 'link', link: 's1.abc&t=5' }, requested: true }, null)).toBe('s1.abc');
  });

  it('a settings change or a restart (not asked for as a load), or a file: no source, so no hash', () => {
    expect(sourceAfterLoad({ source: { kind: 'library', id: 'calm-board' }, requested: false }, 'calm-board')).toBeNull();
    expect(sourceAfterLoad({ source: { kind: 'json', json: {} }, requested: true }, null)).toBeNull();
    expect(addressHash(null, { t: 5 })).toBe('');
  });

  it('the view fields follow the cursor, the selected event, the tab and the comparison', () => {
    expect(viewOf(useApp.getState())).toEqual({});
    appActions().moveCursor(1_550_000.4);
    appActions().selectEvent(81);
    appActions().setTab('queues');
    expect(viewOf(useApp.getState())).toEqual({ t: 1_550_000, sel: 81, tab: 'queues' });
    expect(addressHash('scenario=calm-board', viewOf(useApp.getState()))).toBe('#scenario=calm-board&t=1550000&sel=81&tab=queues');
  });

  it('moving the cursor elsewhere clears the selected event (a link never pairs one instant with another instant\'s row)', () => {
    appActions().moveCursor(100);
    appActions().selectEvent(3);
    appActions().moveCursor(200);
    expect(useApp.getState().selectedSeq).toBeNull();
  });
});

describe('the comparison follows the session', () => {
  it('choosing settings asks the worker; a new session (scenario, settings) asks again; only the newest answer is kept', async () => {
    const stop = syncCompare();
    answer = { result: null, error: 'Not compared: device.preset: expected "spec", "rust-vmm" or "rust-vmm-mock"' };
    appActions().compareWith(['device.preset=qemu']);
    expect(sent).toEqual([{ type: 'compare', req: 0, settings: ['device.preset=qemu'] }]);
    await Promise.resolve();
    await Promise.resolve();
    expect(useApp.getState().compare).toEqual({ settings: ['device.preset=qemu'], result: null, error: answer.error, busy: false });
    // A stale answer (to a request made before the newest) is dropped.
    const old = useApp.getState().compare;
    appActions().compareWith(['device.preset=rust-vmm']);
    appActions().compared(old, null, 'stale');
    expect(useApp.getState().compare?.error).toBe('');
    appActions().loaded({ id: 'calm-board' } as never);
    expect(sent.at(-1)).toEqual({ type: 'compare', req: 0, settings: ['device.preset=rust-vmm'] });
    appActions().compareWith(null);
    expect(useApp.getState().compare).toBeNull();
    stop();
  });
});
