import { recordingCounts, recordingView, type Recording } from '../sim/index';
import type { Command, Message, ScenarioInfo } from '../worker/protocol';
import type { WorkerLike } from './live-source';
import { setRecordingState } from './recording-state';

export { recordingState, onRecordingState, type RecordingState } from './recording-state';

/**
 * A recording as the page's source: instead of the simulation worker, a
 * finished run read from a JSONL trace (`vgpio guest --trace`, or any trace
 * export) answers the client with the same messages a worker sends: one
 * `loaded`, one `batch` holding every record with status `ended`, and a
 * `snapshot` for each instant the user travels to (the view at that time is
 * derived from the records). Everything that would change or replay a run is
 * answered with a message saying why it is off: a recording is not a
 * replayable simulation.
 */

/** Why a command is not carried out on a recording (null: it is answered here or needs nothing). */
export function notInRecording(cmd: Command): string | null {
  switch (cmd.type) {
    case 'load':
    case 'frame':
    case 'seek':
    case 'inspect':
    case 'detail':
      return null;
    case 'action':
      return 'A recording shows a run that is over: its lines cannot be driven. Close the recording to simulate.';
    case 'run':
    case 'pause':
    case 'step':
    case 'run-until':
    case 'run-to':
    case 'speed':
      return 'A recording is not a replayable simulation: it cannot be run, stepped or sped up (click the waveform to see any instant of it).';
    case 'settings':
    case 'restart':
      return 'A recording keeps the device it was made with: close the recording to simulate other settings.';
    case 'share':
    case 'export':
      return 'A recording is already a file: it cannot be shared as a link or exported again here.';
    case 'lesson-anchors':
    case 'lesson-check':
      return 'Lessons run on a simulation: close the recording to take one.';
    case 'terminal':
      return 'A recording has no terminal: the commands it recorded are in its title.';
    case 'explain':
      return 'A recording keeps no causes: open the scenario it came from in the simulation to see why a flag happened.';
    case 'compare':
      return 'A recording cannot be run again under other settings: compare in the simulation.';
    case 'follow':
      return 'A recording has no follow mode: click the waveform to see any instant of it.';
  }
}

const SOURCE_WORDS: Record<Recording['source'], string> = {
  'real-guest': 'a real Linux guest (vgpio guest --trace)',
  simulation: 'a simulated run',
  unknown: 'a trace export',
};

/** The static facts the panels show about a recording. */
export function recordingInfo(rec: Recording): ScenarioInfo {
  return {
    id: null,
    title: `${rec.title} (recording)`,
    description: `A recording of ${SOURCE_WORDS[rec.source]}: ${rec.events} events${rec.dropped ? ` (the first ${rec.dropped} were not kept)` : ''}. It is read only: it cannot be run, stepped, driven or replayed.`,
    seed: rec.seed,
    // The waveform's first window: the whole recording.
    durationNs: Math.max(1, rec.endNs),
    spec: '',
    preset: '',
    transport: '',
    lines: rec.lines.map((l) => ({ name: l.name, direction: l.direction })),
    clients: [],
    json: null,
    recorded: [],
    initialLevels: [...rec.initialLevels],
    fromLink: false,
    recording: true,
  };
}

export class RecordingSource implements WorkerLike {
  onmessage: ((e: MessageEvent<Message>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  private readonly _rec: Recording;

  constructor(rec: Recording) {
    this._rec = rec;
    setRecordingState({ title: rec.title, source: rec.source, events: rec.events, dropped: rec.dropped, endNs: rec.endNs, counts: recordingCounts(rec) });
  }

  postMessage(cmd: Command): void {
    const why = notInRecording(cmd);
    if (why) {
      // A request is answered with its reason, so nothing waits for ever (the explanation card, the comparison).
      if (cmd.type === 'explain') return this._deliver({ type: 'explanation', req: cmd.req, seq: cmd.seq, card: null, error: why });
      if (cmd.type === 'compare') return this._deliver({ type: 'compare', req: cmd.req, result: null, error: why });
      return this._deliver({ type: 'error', message: why });
    }
    if (cmd.type === 'seek') {
      if (cmd.t !== null) this._deliver({ type: 'snapshot', t: cmd.t, view: recordingView(this._rec, cmd.t) });
      return;
    }
    if (cmd.type !== 'load') return;
    // Opening the recording, or the client's restart after a crash: each time, the whole recording.
    const rec = this._rec;
    this._deliver({ type: 'loaded', info: recordingInfo(rec) });
    this._deliver({
      type: 'batch',
      status: 'ended',
      speed: 1,
      view: recordingView(rec),
      trace: rec.trace,
      traceTotal: rec.dropped + rec.trace.t.length,
      traceHash: rec.hash,
      violations: rec.violations,
      terminal: '',
      recordedSteps: 0,
      newSteps: [],
      builtAt: performance.timeOrigin + performance.now(),
    });
  }

  terminate(): void {
    setRecordingState(null);
  }

  private _deliver(msg: Message): void {
    // Asynchronously and in order, as a worker's messages arrive.
    queueMicrotask(() => this.onmessage?.({ data: msg } as MessageEvent<Message>));
  }
}
