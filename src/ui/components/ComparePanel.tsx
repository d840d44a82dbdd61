import { useEffect, useRef, useState } from 'react';
import { formatNs, type CompareView, type CountDiff } from '../../sim/index';
import { NAME_W, AXIS_H, ROW_H, compareRows, compareWindow, describeCompare, paintCompare, type CompareZoom } from '../compare-draw';
import { DisposableStore } from '../disposable';
import { observeResize, onDevicePixelRatioChange } from '../dom';
import { appActions, selectCompare, useApp } from '../store';
import { onThemeChange, readThemeColors } from '../theme';

/** The settings offered as choices; anything else is typed (dotted, as `vgpio diff --with` takes it). */
const CHOICES: { key: string; label: string; options: string[] }[] = [
  { key: 'device.preset', label: 'preset', options: ['spec', 'rust-vmm', 'rust-vmm-mock'] },
  { key: 'device.spec', label: 'spec revision', options: ['v1.2', 'v8'] },
  { key: 'driver.mask', label: 'driver mask', options: ['flag', 'none-type'] },
  { key: 'driver.typeChange', label: 'driver type change', options: ['direct', 'via-none'] },
  { key: 'driver.flow', label: 'driver flow', options: ['level', 'fasteoi', 'edge'] },
];

/** The count names as `vgpio diff` prints them. */
const WORDS: Record<string, string> = { handlerCalls: 'handler calls', deviceDelivered: 'device delivered', deviceCoalesced: 'device coalesced', deviceMasked: 'device masked' };
const word = (k: string): string => WORDS[k] ?? k;

/** Splits the settings into the chosen ones (by key) and the rest (typed). */
function splitSettings(settings: readonly string[]): { chosen: Record<string, string>; rest: string } {
  const chosen: Record<string, string> = {};
  const rest: string[] = [];
  for (const s of settings) {
    const eq = s.indexOf('=');
    const key = s.slice(0, eq);
    const c = CHOICES.find((x) => x.key === key);
    if (c && c.options.includes(s.slice(eq + 1)) && !(key in chosen)) chosen[key] = s.slice(eq + 1);
    else rest.push(s);
  }
  return { chosen, rest: rest.join(', ') };
}

function CompareForm({ current }: { current: readonly string[] }): React.JSX.Element {
  const initial = splitSettings(current);
  const [chosen, setChosen] = useState<Record<string, string>>(initial.chosen);
  const [rest, setRest] = useState(initial.rest);
  const [problem, setProblem] = useState('');
  const key = current.join('\n');
  // A comparison opened from a link (or changed elsewhere) shows its settings in the form.
  useEffect(() => {
    const s = splitSettings(current);
    setChosen(s.chosen);
    setRest(s.rest);
  }, [key]);
  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    const typed = rest
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const settings = [...CHOICES.filter((c) => chosen[c.key]).map((c) => `${c.key}=${chosen[c.key]}`), ...typed];
    if (settings.length === 0) {
      setProblem('Choose or type at least one setting for the second run.');
      return;
    }
    setProblem('');
    appActions().compareWith(settings);
  };
  return (
    <form className="cmp-form" onSubmit={submit} aria-label="Compare with">
      <span className="readout">Run this session again with:</span>
      {CHOICES.map((c) => (
        <label key={c.key}>
          <span>{c.label}</span>
          <select className="sel" value={chosen[c.key] ?? ''} onChange={(e) => setChosen({ ...chosen, [c.key]: e.target.value })}>
            <option value="">as this run</option>
            {c.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label className="cmp-more">
        <span>other settings</span>
        <input className="sel" value={rest} placeholder="device.policy.edgeLatch=queue:4, seed=7" onChange={(e) => setRest(e.target.value)} aria-describedby={problem ? 'cmp-problem' : undefined} />
      </label>
      <button className="btn primary" type="submit">
        Compare
      </button>
      {current.length > 0 && (
        <button className="btn" type="button" onClick={() => appActions().compareWith(null)}>
          Stop comparing
        </button>
      )}
      {problem && (
        <p id="cmp-problem" className="cmp-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function CountsTable({ v }: { v: CompareView }): React.JSX.Element {
  if (v.lines.length === 0 && v.total.length === 0) return <p data-testid="compare-no-diff">No differences in the counts.</p>;
  const rows: { where: string; line: string; d: CountDiff }[] = [];
  for (const l of v.lines) for (const d of l.counts) rows.push({ where: `${l.line}${l.name ? ` ${l.name}` : ''}`, line: String(l.line), d });
  for (const d of v.total) rows.push({ where: 'total', line: 'total', d });
  return (
    <table className="cmp-table" data-testid="compare-counts">
      <caption>Count differences (this run → {v.b.label})</caption>
      <thead>
        <tr>
          <th scope="col">line</th>
          <th scope="col">count</th>
          <th scope="col">this run</th>
          <th scope="col">other run</th>
          <th scope="col">change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.line}-${r.d.key}`} data-line={r.line} data-key={r.d.key}>
            <th scope="row">{r.where}</th>
            <td>{word(r.d.key)}</td>
            <td className="num">{r.d.a}</td>
            <td className="num">{r.d.b}</td>
            <td className="num">{r.d.b - r.d.a > 0 ? `+${r.d.b - r.d.a}` : r.d.b - r.d.a}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Divergence({ v }: { v: CompareView }): React.JSX.Element {
  const d = v.divergence;
  if (!d) return <p data-testid="compare-divergence">The traces are identical, event for event.</p>;
  const lineName = (line: number): string => (line >= 0 ? `gpio ${line}${v.a.lanes[line]?.name ? ` ${v.a.lanes[line]!.name}` : ''}` : 'no line');
  const show = (): void => {
    appActions().moveCursor(d.a?.t ?? d.t);
    appActions().selectEvent(d.seq);
  };
  return (
    <div className="cmp-div" data-testid="compare-divergence" data-seq={d.seq} data-t={d.t}>
      <p>
        <b>
          The traces part at event {d.seq}, at {formatNs(d.t)}
          {v.truncated ? ' (or earlier: a trace ring dropped its start)' : ''}:
        </b>
      </p>
      <ul>
        <li data-side="a">
          this run, {d.a ? `${lineName(d.a.line)}: ${d.a.text}` : 'had ended'}
        </li>
        <li data-side="b">
          {v.b.label}, {d.b ? `${lineName(d.b.line)}: ${d.b.text}` : 'had ended'}
        </li>
      </ul>
      <button className="btn" onClick={show} title="Move the time-travel cursor to the divergence and select its trace row">
        Go to the divergence
      </button>
    </div>
  );
}

/** Both runs' lanes on one time axis (canvas), the divergence marked. A click moves the time-travel cursor there. */
function AlignedLanes({ v }: { v: CompareView }): React.JSX.Element {
  const [zoom, setZoom] = useState<CompareZoom>(v.divergence ? 'divergence' : 'all');
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const height = AXIS_H + compareRows(v).length * ROW_H;
  const win = compareWindow(v, zoom);
  useEffect(() => {
    const canvas = canvasRef.current;
    const wrap = wrapRef.current;
    if (!canvas || !wrap) return;
    const draw = (): void => {
      const width = Math.max(300, wrap.clientWidth);
      const dpr = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const t = readThemeColors();
      paintCompare(ctx, v, win, width, { text: t.text, muted: t.muted, border: t.border, high: t.high, accent: t.accent, warn: t.warn, bad: t.bad, tint: t.panel2 });
    };
    const store = new DisposableStore();
    store.add(observeResize(wrap, draw));
    store.add(onThemeChange(draw));
    store.add(onDevicePixelRatioChange(draw));
    draw();
    return () => store.dispose();
  }, [v, win[0], win[1], height]);
  const onClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const plotW = Math.max(10, r.width - NAME_W - 8);
    const x = e.clientX - r.left;
    if (x < NAME_W) return;
    const t = Math.round(win[0] + ((x - NAME_W) / plotW) * (win[1] - win[0]));
    appActions().moveCursor(Math.max(0, t));
  };
  const markerShown = v.divergence !== null && v.divergence.t >= win[0] && v.divergence.t <= win[1];
  return (
    <div className="cmp-lanes">
      <div role="group" aria-label="Compare zoom" className="wf-tools">
        <button className="btn" aria-pressed={zoom === 'all'} onClick={() => setZoom('all')}>
          Whole run
        </button>
        <button className="btn" aria-pressed={zoom === 'divergence'} disabled={!v.divergence} onClick={() => setZoom('divergence')}>
          Around the divergence
        </button>
      </div>
      <div ref={wrapRef} className="cmp-canvas-wrap">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={describeCompare(v)}
          data-testid="compare-lanes"
          data-divergence-t={v.divergence?.t ?? ''}
          data-marker-shown={markerShown ? 'true' : 'false'}
          onClick={onClick}
        />
      </div>
    </div>
  );
}

function CompareResult({ v }: { v: CompareView }): React.JSX.Element {
  return (
    <div className="cmp-result">
      <p className="readout" data-testid="compare-sides">
        <b>this run</b>: {v.a.events} events, hash {v.a.traceHash}
        {v.a.cut ? ' (stopped at the event cap)' : ''} · <b>{v.b.label}</b>: {v.b.events} events, hash {v.b.traceHash}
        {v.b.cut ? ' (stopped at the event cap)' : ''}
      </p>
      <AlignedLanes v={v} />
      <CountsTable v={v} />
      {v.causes.length > 0 && (
        <ul className="cmp-causes" aria-label="Causes that differ">
          {v.causes.map((c) => (
            <li key={c.label}>
              why {c.label}: this run {kinds(c.a)}; other run {kinds(c.b)}
            </li>
          ))}
        </ul>
      )}
      <Divergence v={v} />
    </div>
  );
}

function kinds(c: Record<string, number>): string {
  const e = Object.entries(c);
  return e.length === 0 ? 'none' : e.map(([k, n]) => (n === 1 ? k : `${k} x${n}`)).join(', ');
}

/**
 * "Compare with...": the session run again under other settings, side by
 * side with itself: aligned lanes, the count differences, the causes that
 * differ and the first divergence. The worker runs both (compare-sync.ts).
 */
export function ComparePanel(): React.JSX.Element {
  const cmp = useApp(selectCompare);
  return (
    <div className="cmp" data-testid="compare-panel">
      <CompareForm current={cmp?.settings ?? []} />
      {cmp?.busy && (
        <p className="readout" role="status">
          Running both…
        </p>
      )}
      {cmp?.error && (
        <p className="cmp-error" role="alert">
          {cmp.error}
        </p>
      )}
      {cmp?.result && <CompareResult v={cmp.result} />}
      {!cmp && <p className="readout">Choose what the second run changes, then Compare: both runs start from this session (its scenario, settings and live steps).</p>}
    </div>
  );
}
