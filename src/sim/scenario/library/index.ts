/**
 * The built-in scenario library, in teaching order: first a calm board, then
 * the level-vs-edge questions of the V8 review, then where real stacks diverge
 * from the spec, then transport and device failures. Each entry is the JSON a
 * user could save and edit; it is validated like any other scenario when loaded.
 */
import calmBoard from './calm-board.json';
import levelTimerV12 from './level-timer-v1.2.json';
import levelTimerV8 from './level-timer-v8.json';
import levelTimerNoResample from './level-timer-no-resample.json';
import edgeWhileAway from './edge-while-away.json';
import twoEdges from './two-edges-while-away.json';
import twoEdgesQueued from './two-edges-while-away-queued.json';
import maskByNone from './mask-by-none-loses-edge.json';
import edgesWhileNone from './edges-while-none.json';
import edgesWhileNoneLazy from './edges-while-none-lazy.json';
import typeChange from './type-change-without-none.json';
import levelRequeueBeforeAck from './level-requeue-before-ack.json';
import invalidLivelock from './invalid-livelock.json';
import eventqBadLength from './eventq-bad-length.json';
import noIrqFeature from './no-irq-feature.json';
import transportIntx from './transport-intx.json';
import transportMsi from './transport-msi.json';
import mockStorm from './mock-storm.json';
import gpiomonShortPulse from './gpiomon-short-pulse.json';

export interface LibraryEntry {
  /** Stable id: the CLI's `vgpio run <id>` and the app's library use it. */
  id: string;
  /** The scenario as JSON (validated when loaded, like any file or link). */
  scenario: unknown;
}

export const LIBRARY: readonly LibraryEntry[] = [
  { id: 'calm-board', scenario: calmBoard },
  { id: 'level-timer-v1.2', scenario: levelTimerV12 },
  { id: 'level-timer-v8', scenario: levelTimerV8 },
  { id: 'level-timer-no-resample', scenario: levelTimerNoResample },
  { id: 'edge-while-away', scenario: edgeWhileAway },
  { id: 'two-edges-while-away', scenario: twoEdges },
  { id: 'two-edges-while-away-queued', scenario: twoEdgesQueued },
  { id: 'mask-by-none-loses-edge', scenario: maskByNone },
  { id: 'edges-while-none', scenario: edgesWhileNone },
  { id: 'edges-while-none-lazy', scenario: edgesWhileNoneLazy },
  { id: 'type-change-without-none', scenario: typeChange },
  { id: 'level-requeue-before-ack', scenario: levelRequeueBeforeAck },
  { id: 'invalid-livelock', scenario: invalidLivelock },
  { id: 'eventq-bad-length', scenario: eventqBadLength },
  { id: 'no-irq-feature', scenario: noIrqFeature },
  { id: 'transport-intx', scenario: transportIntx },
  { id: 'transport-msi', scenario: transportMsi },
  { id: 'mock-storm', scenario: mockStorm },
  { id: 'gpiomon-short-pulse', scenario: gpiomonShortPulse },
];

export const DEFAULT_SCENARIO_ID = 'calm-board';

export function libraryEntry(id: string): LibraryEntry | undefined {
  return LIBRARY.find((e) => e.id === id);
}
