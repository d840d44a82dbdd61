import { useEffect, useRef } from 'react';
import { DELIVERY_NAMES, DIRECTION_NAMES, IRQ_TYPES, IRQ_TYPE_NAMES, LINE_SOURCES, SINK_NAMES } from '../../sim/index';
import type { LinesView, ScenarioInfo } from '../../worker/protocol';
import { compactCount } from '../count-format';
import { moveFocus } from '../roving';
import { DisposableStore } from '../disposable';
import { onFrame, shownView } from '../live';
import { currentMessage, markCurrent } from '../follow-current';
import { client } from '../sim-client';
import { appActions, selectInfo, selectInspectLine, useApp } from '../store';
import { Term } from './Term';

const SOURCE = LINE_SOURCES.code;
/** Column headings: label, tooltip, class, and a short label for a narrow panel (the column widths are in styles.css, .lines-row). */
const HEADINGS: readonly (readonly [string, string | undefined, string | undefined, string?])[] = [
  ['#', 'line number', 'num'],
  ['name', undefined, undefined],
  ['dir', 'direction at the device', undefined],
  ['level', 'level on the wire', undefined],
  ['drive', 'drive the line from outside', undefined],
  ['client trigger', 'the trigger the client driver asked for', undefined, 'trigger'],
  ['device type', 'the trigger type the device has', undefined, 'dev type'],
  ['state', undefined, undefined],
  ['sink', 'what a source querying the device would learn: normal / latched / masked', undefined],
  ['last', 'the last device-side delivery result', undefined],
  ['del', 'delivered', 'num'],
  ['lost', 'lost', 'num'],
  ['spur', 'spurious', 'num'],
  ['coal', 'coalesced', 'num'],
];

/** The DOM nodes one row updates every frame. */
interface RowRefs {
  row: HTMLDivElement | null;
  /** On screen (inside the scrolled panel): only these rows are written each frame. */
  visible: boolean;
  level: HTMLElement | null;
  drive: HTMLButtonElement | null;
  /** The drive button's visible level (its accessible name starts with "Drive <line>, level"). */
  driveLevel: HTMLElement | null;
  dir: HTMLElement | null;
  trigger: HTMLSelectElement | null;
  deviceType: HTMLElement | null;
  enabled: HTMLElement | null;
  masked: HTMLElement | null;
  armed: HTMLElement | null;
  latched: HTMLElement | null;
  handler: HTMLElement | null;
  sink: HTMLElement | null;
  last: HTMLElement | null;
  delivered: HTMLElement | null;
  lost: HTMLElement | null;
  spurious: HTMLElement | null;
  coalesced: HTMLElement | null;
}

function consumerOf(info: ScenarioInfo, line: number): number {
  return info.clients.findIndex((c) => c.kind === 'irq-consumer' && c.lines.includes(line));
}

/** Writes a data attribute only when it changes: an unchanged write would still invalidate style. */
function setData(el: HTMLElement | null, key: string, value: string): void {
  if (el && el.dataset[key] !== value) el.dataset[key] = value;
}

function setOn(el: HTMLElement | null, on: boolean): void {
  setData(el, 'on', on ? '1' : '0');
}

function setText(el: HTMLElement | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}

function setCount(el: HTMLElement | null, n: number): void {
  if (!el) return;
  setText(el, compactCount(n));
  // The exact figure when the cell shows it rounded down.
  const title = n < 1000 ? '' : String(n);
  if (el.title !== title) el.title = title;
  setData(el, 'nonzero', n > 0 ? '1' : '0');
}

/** Writes one frame of line state into the visible rows (no React render). */
function paint(rows: RowRefs[], v: LinesView): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as RowRefs;
    if (!r.visible) continue;
    const level = v.level[i] as number;
    setText(r.level, level ? 'HIGH' : 'low');
    setData(r.level, 'level', String(level));
    if (r.drive) {
      const pressed = level ? 'true' : 'false';
      if (r.drive.getAttribute('aria-pressed') !== pressed) r.drive.setAttribute('aria-pressed', pressed);
      setText(r.driveLevel, level ? '1' : '0');
    }
    setText(r.dir, DIRECTION_NAMES[v.direction[i] as number] ?? '?');
    const flags = v.driverFlags[i] as number;
    if (r.trigger && document.activeElement !== r.trigger) {
      const name = IRQ_TYPE_NAMES[v.clientType[i] as number] ?? 'none';
      if (r.trigger.value !== name && v.clientType[i] !== 0) r.trigger.value = name;
    }
    setText(r.deviceType, IRQ_TYPE_NAMES[v.deviceType[i] as number] ?? '?');
    setOn(r.enabled, (flags & 1) === 0 && v.deviceType[i] !== 0);
    setOn(r.masked, (flags & 2) !== 0);
    setOn(r.armed, v.armed[i] === 1);
    setOn(r.latched, (v.latch[i] as number) > 0);
    setOn(r.handler, v.inHandler[i] === 1);
    setText(r.sink, SINK_NAMES[v.sink[i] as number] ?? '');
    const last = v.lastDelivery[i] as number;
    setText(r.last, last === 255 ? '–' : (DELIVERY_NAMES[last] ?? ''));
    setCount(r.delivered, v.delivered[i] as number);
    setCount(r.lost, v.lost[i] as number);
    setCount(r.spurious, v.spurious[i] as number);
    setCount(r.coalesced, v.coalesced[i] as number);
  }
}

/** A badge's word, and the short form a narrow panel shows (screen readers always hear the word). */
function Label({ long, short }: { long: string; short: string }): React.JSX.Element {
  return (
    <>
      <span className="badge-long">{long}</span>
      <span className="badge-short" aria-hidden="true">
        {short}
      </span>
      <span className="badge-short sr-only">{long}</span>
    </>
  );
}

function Row({ info, line, refs, rovingStop }: { info: ScenarioInfo; line: number; refs: RowRefs; rovingStop: boolean }): React.JSX.Element {
  const meta = info.lines[line] ?? { name: '', direction: 'in' };
  const consumer = consumerOf(info, line);
  const selected = useApp((s) => s.inspectLine === line);
  const drive = (): void => {
    const v = shownView();
    if (!v) return;
    const level = v.lines.level[line] as number;
    const src = v.lines.source[line] as number;
    // A button toggles between pressed and released (an active-low button is pressed when the line is low).
    if (src === SOURCE.button) client.send({ type: 'action', action: { do: 'press', line, pressed: level === 1 } });
    else if (src === SOURCE['button-active-high']) client.send({ type: 'action', action: { do: 'press', line, pressed: level === 0 } });
    else if (src === SOURCE['level-source']) client.send({ type: 'action', action: { do: 'assert', line } });
    else client.send({ type: 'action', action: { do: 'drive', line, level: level ? 0 : 1 } });
  };
  // A recording is a run that is over: nothing to drive.
  const drivable = meta.direction !== 'out' && !info.recording;
  // A trigger picked with the keyboard is applied on Enter or when the control loses focus, never on
  // each arrow press (each would be an irq_set_irq_type, with its interrupts); a pointer pick at once.
  const keyed = useRef(false);
  const commitTrigger = (sel: HTMLSelectElement): void => {
    keyed.current = false;
    const code = IRQ_TYPES.codeOf(sel.value) ?? 0;
    if (code !== shownView()?.lines.clientType[line]) client.send({ type: 'action', action: { do: 'irq-type', client: consumer, trigger: code } });
  };
  const onTriggerKey = (e: React.KeyboardEvent<HTMLSelectElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commitTrigger(e.currentTarget);
    } else if (e.key === 'Escape') {
      keyed.current = false;
      e.currentTarget.value = IRQ_TYPE_NAMES[shownView()?.lines.clientType[line] ?? 0] ?? 'none';
    } else if (e.key !== 'Tab') {
      keyed.current = true;
    }
  };
  // The rows are one Tab stop (the selected row, else the first): arrows move, Enter or Space inspects.
  const onRowKey = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      appActions().inspect(line);
      return;
    }
    const rows = Array.from(e.currentTarget.parentElement?.querySelectorAll<HTMLElement>(':scope > [role="row"]') ?? []);
    if (moveFocus(rows, e.currentTarget, e.key)) e.preventDefault();
  };
  const label = meta.name || `line ${line}`;
  return (
    <div
      role="row"
      className="lines-row"
      ref={(el) => void (refs.row = el)}
      data-line={line}
      aria-selected={selected}
      tabIndex={rovingStop ? 0 : -1}
      title="Enter: inspect this line (its eventq buffer and queue rows)"
      onKeyDown={onRowKey}
      onClick={() => appActions().inspect(line)}
    >
      <div role="cell" className="num">{line}</div>
      <div role="cell" className="clip" title={meta.name ? undefined : 'unnamed line'}>{meta.name || <em>unnamed</em>}</div>
      <div role="cell" ref={(el) => void (refs.dir = el)} />
      <div role="cell">
        <span className="level" ref={(el) => void (refs.level = el)} />
      </div>
      <div role="cell">
        {drivable ? (
          <button
            className="btn"
            ref={(el) => void (refs.drive = el)}
            title="Change the level from outside (a button is pressed or released, a level source asserts)"
            onClick={(e) => {
              e.stopPropagation();
              drive();
            }}
          >
            <span className="sr-only">Drive {label}, level </span>
            <span ref={(el) => void (refs.driveLevel = el)} />
          </button>
        ) : (
          <span className="readout">{info.recording ? 'recorded' : 'device'}</span>
        )}
      </div>
      <div role="cell">
        {consumer >= 0 ? (
          <select
            className="sel"
            aria-label={`Trigger of ${label}`}
            ref={(el) => void (refs.trigger = el)}
            defaultValue="none"
            onClick={(e) => e.stopPropagation()}
            onKeyDown={onTriggerKey}
            onChange={(e) => keyed.current || commitTrigger(e.target)}
            onBlur={(e) => keyed.current && commitTrigger(e.target)}
          >
            {IRQ_TYPES.names.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        ) : (
          <span className="readout">no irq client</span>
        )}
      </div>
      <div role="cell" className="mono" ref={(el) => void (refs.deviceType = el)} />
      <div role="cell" className="clip">
        <div className="badges">
          <span className="badge" ref={(el) => void (refs.enabled = el)} title="Interrupt enabled at the driver and the device">
            <Term k="enabled" focusable={false}><Label long="enabled" short="en" /></Term>
          </span>
          <span className="badge masked" ref={(el) => void (refs.masked = el)} title="The driver's irq_chip masked flag">
            <Term k="masked-flag" focusable={false}><Label long="masked" short="mask" /></Term>
          </span>
          <span className="badge armed" ref={(el) => void (refs.armed = el)} title="The device holds the line's eventq buffer">
            <Term k="armed" focusable={false}><Label long="armed" short="arm" /></Term>
          </span>
          <span className="badge latched" ref={(el) => void (refs.latched = el)} title="An edge is latched at the device">
            <Term k="latched" focusable={false}><Label long="latched" short="latch" /></Term>
          </span>
          <span className="badge handler" ref={(el) => void (refs.handler = el)} title="A handler (or its thread) is running">
            <Term k="handler" focusable={false}><Label long="handler" short="hdlr" /></Term>
          </span>
        </div>
      </div>
      <div role="cell" ref={(el) => void (refs.sink = el)} />
      <div role="cell" className="clip" ref={(el) => void (refs.last = el)} />
      <div role="cell" className="num" ref={(el) => void (refs.delivered = el)} />
      <div role="cell" className="num count-lost" ref={(el) => void (refs.lost = el)} />
      <div role="cell" className="num count-spurious" ref={(el) => void (refs.spurious = el)} />
      <div role="cell" className="num count-coalesced" ref={(el) => void (refs.coalesced = el)} />
    </div>
  );
}

/**
 * Every line: its level, direction, the trigger its client asked for (a control
 * that acts through the guest driver, as irq_set_irq_type), the device's type,
 * state badges, the sink state, the last delivery result and the oracle's counts.
 * React renders the rows once per scenario; each frame writes the values in place.
 */
export function LinesBoard(): React.JSX.Element {
  const info = useApp(selectInfo);
  const inspected = useApp(selectInspectLine);
  const rows = useRef<RowRefs[]>([]);
  const scroller = useRef<HTMLDivElement>(null);
  const n = info?.lines.length ?? 0;
  if (rows.current.length !== n) {
    rows.current = Array.from({ length: n }, () => ({ visible: true }) as RowRefs);
  }
  useEffect(() => {
    const update = (): void => {
      const v = shownView();
      if (v && v.lines.level.length === rows.current.length) paint(rows.current, v.lines);
      // Follow mode and Step: the line of the current event.
      const line = currentMessage()?.line ?? -1;
      markCurrent(rows.current.map((r) => r.row), (i) => i === line);
    };
    // Rows scrolled out of the panel are not written; a row coming into view is brought up to date at once.
    const io = new IntersectionObserver(
      (entries) => {
        let shown = false;
        for (const e of entries) {
          const r = rows.current[Number((e.target as HTMLElement).dataset['line'])];
          if (!r) continue;
          r.visible = e.isIntersecting;
          shown ||= e.isIntersecting;
        }
        if (shown) update();
      },
      { root: scroller.current },
    );
    const store = new DisposableStore();
    store.add(() => io.disconnect());
    for (const r of rows.current) if (r.row) io.observe(r.row);
    update();
    store.add(onFrame(update));
    return () => store.dispose();
  }, [info]);
  if (!info) return <div className="panel" />;
  return (
    <section className="panel lines-panel" aria-labelledby="lines-heading">
      <h2 id="lines-heading">Lines</h2>
      <div className="scroll" ref={scroller}>
        <div role="table" className="lines" aria-label="Lines" aria-rowcount={info.lines.length + 1}>
          <div role="rowgroup" className="lines-head">
            <div role="row" className="lines-row">
              {HEADINGS.map(([label, title, cls, short]) => (
                <div role="columnheader" key={label} title={title} className={cls}>
                  <Term k={label} focusable={false}>{short ? <Label long={label} short={short} /> : label}</Term>
                </div>
              ))}
            </div>
          </div>
          <div role="rowgroup">
            {info.lines.map((_, i) => (
              <Row key={`${info.title}-${i}`} info={info} line={i} refs={rows.current[i] as RowRefs} rovingStop={i === (inspected ?? 0)} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
