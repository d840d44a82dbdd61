import { sequenceOf, type SeqMessage } from '../sim/index';
import { live } from './live';

/**
 * The current event of follow mode or Step (the last one the worker revealed),
 * as the sequence chart maps it: every panel that highlights it (the lines
 * board's row, the waveform's marker, the trace list's row, the ring
 * inspector's descriptor) reads it here, so they always agree.
 */
export function currentMessage(): SeqMessage | null {
  const seq = live.follow.current;
  if (seq < 0) return null;
  const e = live.trace.get(seq);
  return e ? sequenceOf(e) : null;
}

/** Sets or clears a data-current mark on each element: on where `on(i)` holds. True when the marked set changed. */
export function markCurrent(els: readonly (HTMLElement | null | undefined)[], on: (i: number) => boolean): boolean {
  let changed = false;
  els.forEach((el, i) => {
    if (!el) return;
    const want = on(i);
    if ((el.dataset['current'] === '1') === want) return;
    changed = true;
    if (want) el.dataset['current'] = '1';
    else delete el.dataset['current'];
  });
  return changed;
}

/**
 * Scrolls `el` into view inside each of its scrolling ancestors named by `scrollers` (innermost
 * first), never the page: scrollIntoView would also move the app's overflow-hidden frame.
 */
export function revealWithin(el: HTMLElement | null | undefined, scrollers: readonly string[]): void {
  if (!el) return;
  for (const sel of scrollers) {
    const s = el.closest<HTMLElement>(sel);
    if (!s) continue;
    const er = el.getBoundingClientRect();
    const sr = s.getBoundingClientRect();
    if (er.top < sr.top) s.scrollTop -= sr.top - er.top;
    else if (er.bottom > sr.bottom) s.scrollTop += Math.min(er.bottom - sr.bottom, er.top - sr.top);
  }
}
