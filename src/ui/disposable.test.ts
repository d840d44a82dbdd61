import { describe, expect, it } from 'vitest';
import { DisposableStore } from './disposable';

describe('DisposableStore', () => {
  it('undoes the setup in reverse order, once', () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.add(() => order.push('listener'));
    store.add(() => order.push('observer'));
    store.add(() => order.push('subscription'));
    store.dispose();
    store.dispose();
    expect(order).toEqual(['subscription', 'observer', 'listener']);
  });

  it('a disposer called early is not run again by dispose()', () => {
    const store = new DisposableStore();
    let runs = 0;
    const off = store.add(() => runs++);
    off();
    off();
    store.dispose();
    expect(runs).toBe(1);
  });

  it('a disposer added after dispose() runs at once', () => {
    const store = new DisposableStore();
    store.dispose();
    let ran = false;
    store.add(() => (ran = true));
    expect(ran).toBe(true);
    expect(store.disposed).toBe(true);
  });
});
