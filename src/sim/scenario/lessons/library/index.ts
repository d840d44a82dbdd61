/**
 * The built-in lessons, in teaching order: from what the device is, through a
 * requestq round trip and the eventq, to the review debates of V8 (latching,
 * level re-sampling, masking by NONE), the real stacks, the transport and the
 * interrupt domains. Plain JSON data (no validator here, so the page can list
 * them); each is validated like any lesson file when loaded.
 */
import deviceAndConfig from './device-and-config.json';
import requestqRoundTrip from './requestq-round-trip.json';
import lineNames from './line-names.json';
import directionsAndValues from './directions-and-values.json';
import eventqBufferPair from './eventq-buffer-pair.json';
import edgeInterruptEndToEnd from './edge-interrupt-end-to-end.json';
import edgeLatchCoalescing from './edge-latch-coalescing.json';
import levelResampleEoi from './level-resample-eoi.json';
import timerReassertsBeforeEoi from './timer-reasserts-before-eoi.json';
import maskByNoneLosesEdges from './mask-by-none-loses-edges.json';
import changingTriggerSafely from './changing-trigger-safely.json';
import realStacks from './real-stacks.json';
import countedEdges from './counted-edges.json';
import lazyNone from './lazy-none.json';
import qemuWithoutFIrq from './qemu-without-f-irq.json';
import transportInterrupts from './transport-interrupts.json';
import interruptDomains from './interrupt-domains.json';

export interface LessonEntry {
  /** Stable id: `vgpio lesson check <id>` and the app use it (equal to the lesson's own id). */
  id: string;
  /** The lesson as JSON. */
  lesson: unknown;
}

export const LESSONS: readonly LessonEntry[] = [
  { id: 'device-and-config', lesson: deviceAndConfig },
  { id: 'requestq-round-trip', lesson: requestqRoundTrip },
  { id: 'line-names', lesson: lineNames },
  { id: 'directions-and-values', lesson: directionsAndValues },
  { id: 'eventq-buffer-pair', lesson: eventqBufferPair },
  { id: 'edge-interrupt-end-to-end', lesson: edgeInterruptEndToEnd },
  { id: 'edge-latch-coalescing', lesson: edgeLatchCoalescing },
  { id: 'level-resample-eoi', lesson: levelResampleEoi },
  { id: 'timer-reasserts-before-eoi', lesson: timerReassertsBeforeEoi },
  { id: 'mask-by-none-loses-edges', lesson: maskByNoneLosesEdges },
  { id: 'changing-trigger-safely', lesson: changingTriggerSafely },
  { id: 'real-stacks', lesson: realStacks },
  { id: 'counted-edges', lesson: countedEdges },
  { id: 'lazy-none', lesson: lazyNone },
  { id: 'qemu-without-f-irq', lesson: qemuWithoutFIrq },
  { id: 'transport-interrupts', lesson: transportInterrupts },
  { id: 'interrupt-domains', lesson: interruptDomains },
];

export function lessonEntry(id: string): LessonEntry | undefined {
  return LESSONS.find((e) => e.id === id);
}
