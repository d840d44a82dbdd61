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
import exploreEdgeWhileAway from './explore-edge-while-away.json';
import exploreTwoEdges from './explore-two-edges-while-away.json';
import exploreLevelTimerV8 from './explore-level-timer-v8.json';
import exploreMaskByNone from './explore-mask-by-none.json';
import exploreTypeChange from './explore-type-change.json';
import exploreRequeueBeforeAck from './explore-level-requeue-before-ack.json';
import exploreSingleEdge from './explore-single-edge-spec.json';
import exploreLevelTimerV12 from './explore-level-timer-v1.2.json';
import rogueGpioNgpioSpec from './rogue-gpio-ngpio-spec.json';
import rogueGpioNgpioRustVmm from './rogue-gpio-ngpio-rust-vmm.json';
import rogueSecondPairSpec from './rogue-second-eventq-pair-spec.json';
import rogueSecondPairRustVmm from './rogue-second-eventq-pair-rust-vmm.json';
import rogueDirNoneSpec from './rogue-direction-none-armed-spec.json';
import rogueDirNoneRustVmm from './rogue-direction-none-armed-rust-vmm.json';
import irqfdAssertAfterIsrRead from './irqfd-assert-after-isr-read.json';
import irqfdResample from './irqfd-resample.json';
import gpiomonShortPulse from './gpiomon-short-pulse.json';

export interface LibraryEntry {
  /** Stable id: the CLI's `vgpio run <id>` and the app's library use it. */
  id: string;
  /** The scenario as JSON (validated when loaded, like any file or link). */
  scenario: unknown;
  /**
   * For `vgpio explore <id>`: the property to look for (as on the command line),
   * on which line, and whether the explorer finds a counterexample or exhausts
   * the space (src/sim/explore/library.test.ts holds each entry to it).
   */
  explore?: { property: string; line?: string; finds: boolean };
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
  { id: 'rogue-gpio-ngpio-spec', scenario: rogueGpioNgpioSpec },
  { id: 'rogue-gpio-ngpio-rust-vmm', scenario: rogueGpioNgpioRustVmm },
  { id: 'rogue-second-eventq-pair-spec', scenario: rogueSecondPairSpec },
  { id: 'rogue-second-eventq-pair-rust-vmm', scenario: rogueSecondPairRustVmm },
  { id: 'rogue-direction-none-armed-spec', scenario: rogueDirNoneSpec },
  { id: 'rogue-direction-none-armed-rust-vmm', scenario: rogueDirNoneRustVmm },
  { id: 'irqfd-assert-after-isr-read', scenario: irqfdAssertAfterIsrRead },
  { id: 'irqfd-resample', scenario: irqfdResample },
  { id: 'gpiomon-short-pulse', scenario: gpiomonShortPulse },
];

/**
 * Timing questions for the explorer (docs/explore.md): catalogue races with
 * latency ranges and step windows instead of hand timing, and two correct
 * setups it must exhaust. Kept apart from LIBRARY until the app has an Explore
 * panel; `vgpio run` and `vgpio explore` find them by id like any entry.
 */
export const EXPLORE_LIBRARY: readonly LibraryEntry[] = [
  { id: 'explore-edge-while-away', scenario: exploreEdgeWhileAway, explore: { property: 'coalesced', line: 'button', finds: true } },
  { id: 'explore-two-edges-while-away', scenario: exploreTwoEdges, explore: { property: 'coalesced', line: 'button', finds: true } },
  { id: 'explore-level-timer-v8', scenario: exploreLevelTimerV8, explore: { property: 'lost', line: 'timer', finds: true } },
  { id: 'explore-mask-by-none', scenario: exploreMaskByNone, explore: { property: 'lost', line: 'button', finds: true } },
  { id: 'explore-type-change', scenario: exploreTypeChange, explore: { property: 'lost', line: 'hall', finds: true } },
  { id: 'explore-level-requeue-before-ack', scenario: exploreRequeueBeforeAck, explore: { property: 'spurious', line: 'sensor', finds: true } },
  { id: 'explore-single-edge-spec', scenario: exploreSingleEdge, explore: { property: 'lost', line: 'button', finds: false } },
  { id: 'explore-level-timer-v1.2', scenario: exploreLevelTimerV12, explore: { property: 'lost', line: 'timer', finds: false } },
];

// Declared beside the catalog: the page needs it at boot without this module's scenarios.
export { DEFAULT_SCENARIO_ID } from './catalog';

export function libraryEntry(id: string): LibraryEntry | undefined {
  return LIBRARY.find((e) => e.id === id) ?? EXPLORE_LIBRARY.find((e) => e.id === id);
}
