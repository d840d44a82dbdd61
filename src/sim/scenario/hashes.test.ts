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
  'level-timer-no-resample': ['054914fdc5c78dfd', 21, 84],
  'edge-while-away': ['4ae8847aeb0d82ea', 26, 104],
  'two-edges-while-away': ['a5cab8705260b181', 28, 111],
  'two-edges-while-away-queued': ['15a0c7de9d7136c2', 32, 129],
  'mask-by-none-loses-edge': ['40df9ffd5e677a00', 29, 115],
  'edges-while-none': ['f372872d532d207d', 35, 135],
  'edges-while-none-lazy': ['376d827bc51aa0d4', 39, 155],
  'type-change-without-none': ['bebceb4c8dec2aa7', 31, 125],
  'level-requeue-before-ack': ['36e4ad5cc8ed9967', 46, 187],
  'invalid-livelock': ['769ff791bfcb5c92', 596, 2777],
  'eventq-bad-length': ['468f517368ad49c7', 32, 121],
  'no-irq-feature': ['7bdd4832b45f206b', 83, 244],
  'transport-intx': ['025d1f2fa3adf060', 877, 3335],
  'transport-msi': ['1d17d912932fe81f', 923, 3264],
  'mock-storm': ['126138640a4310e1', 353, 1759],
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

const PINNED_VERBS: [string, number, number] = ['b0c6ddcb5e6b3059', 1864, 9630];
/** The last run's shell transcript. */
const SHELL_OUT = { text: '' };
