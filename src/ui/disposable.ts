/**
 * One teardown for everything an effect or an engine set up (listeners,
 * observers, animation frames, subscriptions): each setup registers its undo
 * with add(), and the owner's cleanup is a single dispose().
 */
export class DisposableStore {
  private _disposers: (() => void)[] = [];
  private _disposed = false;

  /**
   * Registers `fn` to run on dispose() and returns it wrapped to run at most
   * once, so it can also be called early (the store then skips it). Added after
   * the store was disposed, it runs at once: nothing set up late is leaked.
   */
  add(fn: () => void): () => void {
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      fn();
    };
    if (this._disposed) once();
    else this._disposers.push(once);
    return once;
  }

  /** Runs every registered disposer once, the last added first (undoing setup in reverse). */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    const fns = this._disposers;
    this._disposers = [];
    for (let i = fns.length - 1; i >= 0; i--) fns[i]!();
  }

  get disposed(): boolean {
    return this._disposed;
  }
}
