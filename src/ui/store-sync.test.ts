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
