import { describe, expect, test } from 'vitest';
import { LIBRARY } from './library/index';
import { validateScenario } from './load';
import { runScenario } from './runner';

/**
 * Trace hashes pinned before the core was reorganized: a refactor may move
 * code, never change what a scenario does. A changed hash here means changed
 * behaviour; if that is intended, it needs its own commit and reason.
 */
const PINNED: Record<string, [hash: string, events: number, traceEvents: number]> = {
  'calm-board': ['ac0d5922f58c6cd4', 71, 282],
  'level-timer-v1.2': ['d77147a27da0346f', 35, 145],
  'level-timer-v8': ['d9b5efcbc0430d59', 59, 249],
  'level-timer-no-resample': ['d4a2aec82a917942', 21, 84],
  'edge-while-away': ['4ae8847aeb0d82ea', 26, 104],
  'two-edges-while-away': ['3398130d0dcb3781', 28, 111],
  'two-edges-while-away-queued': ['e371d7773918e956', 32, 129],
  'mask-by-none-loses-edge': ['0b906df8cb2301dc', 29, 115],
  'edges-while-none': ['2e543d1edfb5c863', 35, 135],
  'edges-while-none-lazy': ['40ce65963b8d618a', 43, 173],
  'type-change-without-none': ['2f4db4ef01df41ff', 31, 125],
  'level-requeue-before-ack': ['17670060204fee7a', 46, 187],
  'invalid-livelock': ['195667d39dde1eb2', 596, 2777],
  'eventq-bad-length': ['34f8289091ba2962', 32, 121],
  'no-irq-feature': ['3917759ff63a6d09', 86, 255],
  'transport-intx': ['025d1f2fa3adf060', 877, 3335],
  'transport-msi': ['1d17d912932fe81f', 923, 3264],
  'mock-storm': ['3f8ca9d6d721c9d3', 353, 1759],
  'rogue-gpio-ngpio-spec': ['456e8e1ff39691c9', 27, 103],
  'rogue-gpio-ngpio-rust-vmm': ['d9b2b715f88f36b7', 21, 81],
  'rogue-second-eventq-pair-spec': ['b37b36120145d609', 27, 103],
  'rogue-second-eventq-pair-rust-vmm': ['b37b36120145d609', 27, 103],
  'rogue-direction-none-armed-spec': ['6537b8183728711b', 83, 312],
  'rogue-direction-none-armed-rust-vmm': ['4734e6c55c7b9717', 43, 146],
  'irqfd-assert-after-isr-read': ['b7a6fbb808e94cfa', 47, 150],
  'irqfd-resample': ['b5ede5bd0adaa080', 51, 175],
  'gpiomon-short-pulse': ['c82b83604c95c3fe', 52, 201],
};


function run(raw: unknown): [string, number, number] {
  const s = validateScenario(raw);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  const { report } = r.value;
  SHELL_OUT.text = report.shellOutput;
  return [report.traceHash, report.events, report.traceEvents];
}

describe('pinned trace hashes', () => {
  test('every built-in scenario is pinned', () => {
    expect(LIBRARY.map((e) => e.id).sort()).toEqual(Object.keys(PINNED).sort());
  });

  for (const entry of LIBRARY) {
    test(`${entry.id} keeps its trace hash`, () => {
      expect(run(entry.scenario)).toEqual(PINNED[entry.id]);
    });
  }

  test('a run driven by shell verbs, tools and exactly placed live steps keeps its hash', () => {
    const calm = LIBRARY.find((e) => e.id === 'calm-board')!.scenario as Record<string, unknown>;
    const scenario = {
      ...calm,
      title: 'verbs and live steps',
      expect: undefined,
      timeline: [
        { at: '200us', do: 'shell', command: 'gpiodetect\ngpioinfo' },
        { at: '500us', do: 'shell', command: 'press button 40us' },
        { at: '800us', do: 'shell', command: 'gpiomon -n 2 -c gpiochip0 4 &' },
        { at: '900us', do: 'shell', command: 'drive 4 1\npulse 4 30us 0\nclock 5 100us 3' },
        { at: '1200us', do: 'shell', command: 'assert door-sensor\nlevels\nirq door-sensor level-low' },
        { at: 1_400_000, event: 0, do: 'drive', line: 3, level: 1 },
        { at: 1_500_000, event: 0, do: 'press', line: 0, pressed: true },
        { at: 1_600_000, event: 0, do: 'press', line: 0, pressed: false },
        { at: 1_700_000, event: 0, do: 'shell', command: 'gpioget -c gpiochip0 3' },
        { at: 2_000_000, do: 'shell', command: 'gpioset -t 50us,50us,0 -c gpiochip0 5=1 &' },
        { at: 3_000_000, do: 'shell', command: '\x03' },
      ],
    };
    // Exact steps must be in event order: place them after what has run by then.
    let event = 600;
    for (const st of scenario.timeline) if ('event' in st) st.event = event += 25;
    expect(run(scenario)).toEqual(PINNED_VERBS);
    expect(SHELL_OUT.text).toContain('0.000908000\tfalling\tgpiochip0 4\n0.000938000\trising\tgpiochip0 4\n');
    expect(SHELL_OUT.text).toContain('   5  unnamed           0  world (0)\n$ irq door-sensor level-low\n');
  });
});

const PINNED_VERBS: [string, number, number] = ['99a0d5ae5efdca88', 1864, 9633];
/** The last run's shell transcript. */
const SHELL_OUT = { text: '' };
