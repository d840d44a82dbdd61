/**
 * The library's ids and titles only, for the page's scenario list: each title is a named import
 * of the JSON's `title` field, so the app's bundle keeps the titles (under 1 KB) and leaves the
 * scenarios themselves (about 11 KB gzipped) to the worker that runs them. library.test.ts holds
 * this list to LIBRARY entry for entry (same ids, same order, same titles), so the two cannot drift.
 */
import { title as calmBoard } from './calm-board.json';
import { title as levelTimerV12 } from './level-timer-v1.2.json';
import { title as levelTimerV8 } from './level-timer-v8.json';
import { title as levelTimerNoResample } from './level-timer-no-resample.json';
import { title as edgeWhileAway } from './edge-while-away.json';
import { title as twoEdges } from './two-edges-while-away.json';
import { title as twoEdgesQueued } from './two-edges-while-away-queued.json';
import { title as maskByNone } from './mask-by-none-loses-edge.json';
import { title as edgesWhileNone } from './edges-while-none.json';
import { title as edgesWhileNoneLazy } from './edges-while-none-lazy.json';
import { title as typeChange } from './type-change-without-none.json';
import { title as levelRequeueBeforeAck } from './level-requeue-before-ack.json';
import { title as invalidLivelock } from './invalid-livelock.json';
import { title as eventqBadLength } from './eventq-bad-length.json';
import { title as noIrqFeature } from './no-irq-feature.json';
import { title as transportIntx } from './transport-intx.json';
import { title as transportMsi } from './transport-msi.json';
import { title as mockStorm } from './mock-storm.json';
import { title as rogueGpioNgpioSpec } from './rogue-gpio-ngpio-spec.json';
import { title as rogueGpioNgpioRustVmm } from './rogue-gpio-ngpio-rust-vmm.json';
import { title as rogueSecondPairSpec } from './rogue-second-eventq-pair-spec.json';
import { title as rogueSecondPairRustVmm } from './rogue-second-eventq-pair-rust-vmm.json';
import { title as rogueDirNoneSpec } from './rogue-direction-none-armed-spec.json';
import { title as rogueDirNoneRustVmm } from './rogue-direction-none-armed-rust-vmm.json';
import { title as irqfdAssertAfterIsrRead } from './irqfd-assert-after-isr-read.json';
import { title as irqfdResample } from './irqfd-resample.json';
import { title as gpiomonShortPulse } from './gpiomon-short-pulse.json';

/** The scenario the app opens when its address names none. */
export const DEFAULT_SCENARIO_ID = 'calm-board';

export interface CatalogEntry {
  id: string;
  title: string;
}

/** LIBRARY's entries in its order, as the page lists them. */
export const LIBRARY_CATALOG: readonly CatalogEntry[] = [
  { id: 'calm-board', title: calmBoard },
  { id: 'level-timer-v1.2', title: levelTimerV12 },
  { id: 'level-timer-v8', title: levelTimerV8 },
  { id: 'level-timer-no-resample', title: levelTimerNoResample },
  { id: 'edge-while-away', title: edgeWhileAway },
  { id: 'two-edges-while-away', title: twoEdges },
  { id: 'two-edges-while-away-queued', title: twoEdgesQueued },
  { id: 'mask-by-none-loses-edge', title: maskByNone },
  { id: 'edges-while-none', title: edgesWhileNone },
  { id: 'edges-while-none-lazy', title: edgesWhileNoneLazy },
  { id: 'type-change-without-none', title: typeChange },
  { id: 'level-requeue-before-ack', title: levelRequeueBeforeAck },
  { id: 'invalid-livelock', title: invalidLivelock },
  { id: 'eventq-bad-length', title: eventqBadLength },
  { id: 'no-irq-feature', title: noIrqFeature },
  { id: 'transport-intx', title: transportIntx },
  { id: 'transport-msi', title: transportMsi },
  { id: 'mock-storm', title: mockStorm },
  { id: 'rogue-gpio-ngpio-spec', title: rogueGpioNgpioSpec },
  { id: 'rogue-gpio-ngpio-rust-vmm', title: rogueGpioNgpioRustVmm },
  { id: 'rogue-second-eventq-pair-spec', title: rogueSecondPairSpec },
  { id: 'rogue-second-eventq-pair-rust-vmm', title: rogueSecondPairRustVmm },
  { id: 'rogue-direction-none-armed-spec', title: rogueDirNoneSpec },
  { id: 'rogue-direction-none-armed-rust-vmm', title: rogueDirNoneRustVmm },
  { id: 'irqfd-assert-after-isr-read', title: irqfdAssertAfterIsrRead },
  { id: 'irqfd-resample', title: irqfdResample },
  { id: 'gpiomon-short-pulse', title: gpiomonShortPulse },
];
