/**
 * Small DOM subscriptions that return their undo, to be registered in a
 * DisposableStore: `store.add(listen(el, 'scroll', onScroll))`.
 */

/** Adds an event listener; returns its removal. */
export function listen<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  handler: (e: HTMLElementEventMap[K]) => void,
  options?: AddEventListenerOptions,
): () => void {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

/** Calls `fn` whenever `el` changes size (and once when observing starts, as ResizeObserver does). */
export function observeResize(el: Element, fn: () => void): () => void {
  const ro = new ResizeObserver(() => fn());
  ro.observe(el);
  return () => ro.disconnect();
}

/** Calls `fn` when the device pixel ratio changes (browser zoom, another screen). */
export function onDevicePixelRatioChange(fn: () => void): () => void {
  let query: MediaQueryList | null = null;
  const watch = (): void => {
    query?.removeEventListener('change', changed);
    query = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener('change', changed);
  };
  const changed = (): void => {
    watch();
    fn();
  };
  watch();
  return () => query?.removeEventListener('change', changed);
}
