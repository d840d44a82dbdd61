import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ThemeColors } from './theme';
import { LaneIndex } from './trace-store';
import { WaveformPainter, type WaveScene } from './waveform-draw';
import { formatExact } from './waveform-geometry';
import { LaneMarks } from './waveform-lanes';

/** Path2D is a browser class: a stand-in that accepts every path call. */
class FakePath {
  moveTo(): void {}
  lineTo(): void {}
  closePath(): void {}
  rect(): void {}
  arc(): void {}
}

interface Call {
  name: string;
  args: unknown[];
  fillStyle: unknown;
}

/** A 2D context that records what is drawn (text with the fill style it was drawn in). */
function recordingContext(): { ctx: CanvasRenderingContext2D; calls: Call[] } {
  const calls: Call[] = [];
  const state: Record<string | symbol, unknown> = {};
  const target = {};
  const ctx = new Proxy(target, {
    get: (_t, key) => {
      if (key in state) return state[key];
      if (key === 'measureText') return (text: string) => ({ width: text.length * 7 });
      return (...args: unknown[]) => void calls.push({ name: String(key), args, fillStyle: state['fillStyle'] });
    },
    set: (_t, key, value) => {
      state[key] = value;
      return true;
    },
  });
  // A DOM type implemented by a recorder: the cast is the test's boundary with the browser API.
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const COLORS: ThemeColors = {
  panel: 'panel',
  panel2: 'panel2',
  border: 'border',
  text: 'text',
  muted: 'muted',
  accent: 'accent',
  high: 'high',
  low: 'low',
  ok: 'ok',
  warn: 'warn',
  bad: 'bad',
  focus: 'focus',
  mono: 'monospace',
};

/** Two lines: `button` rises at 500 ns, `led` stays low. */
function scene(over: Partial<WaveScene>): WaveScene {
  const button = new LaneIndex();
  button.levelT.push(500);
  button.levelV.push(1);
  const led = new LaneIndex();
  const marks = new Map<LaneIndex, LaneMarks>();
  return {
    width: 600,
    height: 200,
    dpr: 1,
    gutter: 90,
    axisH: 20,
    laneH: 40,
    scrollY: 0,
    t0: 0,
    span: 1000,
    charW: 7,
    now: 1000,
    cursor: null,
    inspect: null,
    hoverX: null,
    lanesSince: 0,
    lineCount: 2,
    names: ['0 button', '1 led'],
    lanes: [button, led],
    marksOf: (lane) => {
      let m = marks.get(lane);
      if (!m) marks.set(lane, (m = new LaneMarks()));
      m.sync(lane);
      return m;
    },
    ...over,
  };
}

const texts = (calls: Call[]): string[] => calls.filter((c) => c.name === 'fillText').map((c) => String(c.args[0]));

describe('the waveform drawing engine', () => {
  beforeAll(() => vi.stubGlobal('Path2D', FakePath));
  afterAll(() => vi.unstubAllGlobals());

  it('draws a frame from the scene alone, with no page around it', () => {
    expect(typeof document).toBe('undefined');
    const { ctx, calls } = recordingContext();
    new WaveformPainter().draw(ctx, scene({}), { colors: COLORS, hatch: null });
    expect(texts(calls)).toEqual(expect.arrayContaining(['0 button', '1 led', 'line', 'lvl']));
  });

  it('shows each line level at now when live, and at the cursor when time-travelling', () => {
    const live = recordingContext();
    new WaveformPainter().draw(live.ctx, scene({}), { colors: COLORS, hatch: null });
    const levels = (calls: Call[]): string[] => calls.filter((c) => c.name === 'fillText' && (c.args[0] === '0' || c.args[0] === '1')).map((c) => String(c.args[0]));
    expect(levels(live.calls)).toEqual(['1', '0']);

    const past = recordingContext();
    new WaveformPainter().draw(past.ctx, scene({ cursor: 400 }), { colors: COLORS, hatch: null });
    expect(levels(past.calls)).toEqual(['0', '0']);
    // The cursor's exact time is labelled on the axis.
    expect(texts(past.calls)).toContain(formatExact(400));
  });

  it('names the inspected line in the text color and the others muted', () => {
    const { ctx, calls } = recordingContext();
    new WaveformPainter().draw(ctx, scene({ inspect: 1 }), { colors: COLORS, hatch: null });
    const nameColor = (name: string): unknown => calls.find((c) => c.name === 'fillText' && c.args[0] === name)?.fillStyle;
    expect(nameColor('1 led')).toBe('text');
    expect(nameColor('0 button')).toBe('muted');
  });
});
