/**
 * A trace event to select with the next cursor move, when several events share
 * the cursor's instant and the first of them is not the one meant (the Explore
 * panel opens a counterexample on its flag). Taken once, by the trace list.
 */
let wanted: { t: number; seq: number } | null = null;

export function wantCursorSeq(t: number, seq: number): void {
  wanted = { t, seq };
}

/** The seq wanted for a cursor at `t` (null: none, or one meant for another time); forgets it. */
export function takeCursorSeq(t: number): number | null {
  const w = wanted;
  if (!w || w.t !== t) return null;
  wanted = null;
  return w.seq;
}
