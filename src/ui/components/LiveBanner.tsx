import { useSyncExternalStore } from 'react';
import { formatNs } from '../../sim/index';
import { liveState, onLiveState } from '../live-link';
import { onRecordingState, recordingState } from '../recording-state';
import { client } from '../sim-client';

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

/**
 * Says, while the page shows a recording opened from a trace file, that it
 * is one (read only, not a replayable simulation), with its counts at a
 * glance, and offers the way back to the simulation.
 */
export function RecordingBanner(): React.JSX.Element | null {
  const s = useSyncExternalStore(onRecordingState, recordingState);
  if (!s) return null;
  const from = s.source === 'real-guest' ? 'a real Linux guest' : s.source === 'simulation' ? 'a simulated run' : 'a trace file';
  const c = s.counts;
  return (
    <div className="banner info" role="status" data-testid="recording-banner">
      <span>
        <strong>Recording of {from}</strong>, not a replayable simulation: it cannot be run, stepped or driven; click the waveform to see any instant of it.{' '}
        <span data-testid="recording-counts">
          {s.events} events over {formatNs(s.endNs)}
          {s.dropped ? ` (the first ${s.dropped} not kept)` : ''}: {c.requests} requests, {c.valid} VALID and {c.invalid} INVALID eventq returns, {c.must} MUST violations.
        </span>
      </span>
      <button className="btn" onClick={() => client.closeRecording()}>
        Close the recording
      </button>
    </div>
  );
}
