import { useSyncExternalStore } from 'react';
import { liveState, onLiveState } from '../live-source';

/**
 * Says, whenever the page shows a real guest (`vgpio guest --ui`), that this
 * is a live recording and not a replayable simulation, and whether the
 * connection is still up. Nothing when the page runs the simulation.
 */
export function LiveBanner(): React.JSX.Element | null {
  const s = useSyncExternalStore(onLiveState, liveState);
  if (!s) return null;
  const where = s.closed ? 'The run has ended (or vgpio stopped): what it recorded stays on this page.' : s.connected ? 'Connected.' : 'Connecting…';
  return (
    <div className="banner info" role="status" data-testid="live-banner">
      <span>
        <strong>Live recording of a real Linux guest</strong>, not a replayable simulation: time is the wall clock, so pause, step, time travel, settings and
        share only say why they are off. The drive buttons drive the guest&apos;s lines; the Terminal tab shows its console. {where}
      </span>
    </div>
  );
}
