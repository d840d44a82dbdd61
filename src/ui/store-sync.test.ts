import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../worker/protocol';

const sent: Command[] = [];
vi.mock('./sim-client', () => ({ client: { send: (cmd: Command) => sent.push(cmd) } }));

const { appActions, useApp } = await import('./store');
const { syncStoreToWorker } = await import('./store-sync');

describe('the store tells the worker what it must know', () => {
  let stop: () => void = () => {};
  beforeEach(() => {
    sent.length = 0;
    stop = syncStoreToWorker();
  });
  afterEach(() => {
    stop();
    useApp.setState(useApp.getInitialState(), true);
  });

  it('moving the cursor asks for the state at that time, once per move', () => {
    appActions().moveCursor(1500);
    appActions().moveCursor(1500);
    appActions().moveCursor(null);
    expect(sent).toEqual([
      { type: 'seek', t: 1500 },
      { type: 'seek', t: null },
    ]);
  });

  it('opening a card asks the worker to explain that flag, once per opening; only the answer to the latest request is shown', () => {
    appActions().openCard(113);
    appActions().openCard(90);
    expect(sent).toEqual([
      { type: 'explain', req: 1, seq: 113 },
      { type: 'explain', req: 2, seq: 90 },
    ]);
    appActions().cardAnswered(1, null, 'stale');
    expect(useApp.getState().card).toMatchObject({ seq: 90, loading: true, error: '' });
    appActions().cardAnswered(2, null, 'No cause is recorded for this event');
    expect(useApp.getState().card).toMatchObject({ seq: 90, loading: false, error: 'No cause is recorded for this event' });
    appActions().closeCard();
    expect(useApp.getState().card).toBeNull();
    expect(sent).toHaveLength(2);
  });

  it('a card step moves the cursor to its event and selects its trace row', () => {
    appActions().setTab('terminal');
    appActions().selectEvent(88, 1_050_000);
    expect(useApp.getState()).toMatchObject({ cursor: 1_050_000, selectSeq: { seq: 88, n: 1 }, tab: 'trace' });
    expect(sent).toEqual([{ type: 'seek', t: 1_050_000 }]);
  });

  it('inspecting a line names it to the worker', () => {
    appActions().inspect(2);
    expect(sent).toEqual([{ type: 'inspect', line: 2 }]);
  });

  it('a newly loaded scenario goes back to the live run', () => {
    appActions().moveCursor(800);
    appActions().inspect(1);
    sent.length = 0;
    const info = useApp.getState().info;
    appActions().loadStarted();
    expect(sent).toEqual([{ type: 'seek', t: null }]);
    expect(useApp.getState().info).toBe(info);
  });

  it('other changes send nothing', () => {
    appActions().setTab('queues');
    appActions().toggleCategory('ring');
    appActions().showToast('hello');
    expect(sent).toEqual([]);
  });
});

describe('store actions', () => {
  afterEach(() => useApp.setState(useApp.getInitialState(), true));

  it('toggling a category twice shows it again', () => {
    appActions().toggleCategory('ring');
    expect([...useApp.getState().hiddenCategories]).toEqual(['ring']);
    appActions().toggleCategory('ring');
    expect([...useApp.getState().hiddenCategories]).toEqual([]);
  });

  it('an unchanged run state wakes no subscriber', () => {
    const { status, speed } = useApp.getState();
    let calls = 0;
    const off = useApp.subscribe(() => calls++);
    appActions().runState(status, speed);
    expect(calls).toBe(0);
    appActions().runState('running', speed);
    expect(calls).toBe(1);
    off();
  });
});
