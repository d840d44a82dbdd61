import { useEffect, useRef, useState } from 'react';
import { formatNs } from '../../sim/index';
import type { QueueView, ScenarioInfo, TransportView, View } from '../../worker/protocol';
import { live, onHeavyFrame, shownView } from '../live';
import { currentMessage, markCurrent, revealWithin } from '../follow-current';
import {
  OWNER_NAMES,
  VIRTQ_DESC_F_WRITE,
  availFlagsText,
  chainPredecessor,
  decodeBuffer,
  descFlagsText,
  hexBytes,
  pendingSlots,
  readDescriptor,
  ringDistance,
  usedFlagsText,
} from '../queue-decode';
import { moveFocus } from '../roving';
import { client } from '../sim-client';
import { appActions, selectInfo, selectInspectLine, useApp } from '../store';
import { Term } from './Term';

/** Most descriptors and ring entries shown per queue (queues may have up to 32768). */
const MAX_ROWS = 256;

interface DescRefs {
  row: HTMLTableRowElement | null;
  addr: HTMLElement | null;
  len: HTMLElement | null;
  flags: HTMLElement | null;
  next: HTMLElement | null;
  owner: HTMLElement | null;
  line: HTMLElement | null;
}

interface QueueRefs {
  desc: DescRefs[];
  avail: (HTMLElement | null)[];
  used: (HTMLElement | null)[];
  availFlags: HTMLElement | null;
  availIdx: HTMLElement | null;
  usedFlags: HTMLElement | null;
  usedIdx: HTMLElement | null;
  devNextAvail: HTMLElement | null;
  devNextUsed: HTMLElement | null;
  drvLastUsed: HTMLElement | null;
  availPending: HTMLElement | null;
  usedPending: HTMLElement | null;
}

interface TransportRefs {
  mode: HTMLElement | null;
  route: HTMLElement | null;
  isr: HTMLElement | null;
  asserted: HTMLElement | null;
  raised: HTMLElement | null;
  delivered: HTMLElement | null;
  coalesced: HTMLElement | null;
  masked: HTMLElement | null;
  when: HTMLElement | null;
}

interface Shape {
  key: string;
  queues: { name: string; size: number }[];
}

function shapeOf(v: View | null): Shape {
  const queues = v ? v.queues.map((q) => ({ name: q.name, size: q.size })) : [];
  return { key: v ? queues.map((q) => `${q.name}:${q.size}`).join(',') : 'none', queues };
}

function setText(el: HTMLElement | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}

function setData(el: HTMLElement | null, key: string, value: string | null): void {
  if (!el) return;
  if (value === null) {
    if (key in el.dataset) delete el.dataset[key];
  } else if (el.dataset[key] !== value) el.dataset[key] = value;
}

function lineLabel(info: ScenarioInfo | null, line: number): string {
  if (line < 0) return '';
  const name = info?.lines[line]?.name;
  return name ? `${line} ${name}` : String(line);
}

/** The first line an interrupt client uses, or line 0. */
function defaultInspectLine(info: ScenarioInfo): number {
  for (const c of info.clients) if ((c.kind === 'irq-consumer' || c.kind === 'gpiomon') && c.lines.length) return c.lines[0] as number;
  return 0;
}

function paintQueue(r: QueueRefs, q: QueueView, info: ScenarioInfo | null): void {
  const size = q.size;
  const shown = Math.min(size, MAX_ROWS);
  for (let d = 0; d < shown && d < r.desc.length; d++) {
    const x = r.desc[d] as DescRefs;
    const desc = readDescriptor(q.desc, d);
    const owner = OWNER_NAMES[q.owner[d] as number] ?? 'free';
    setText(x.addr, desc.addr);
    setText(x.len, String(desc.len));
    setText(x.flags, descFlagsText(desc.flags));
    setText(x.next, desc.flags & 1 ? String(desc.next) : `(${desc.next})`);
    setText(x.owner, owner);
    setData(x.owner, 'owner', owner);
    setData(x.row, 'owner', owner);
    setText(x.line, lineLabel(info, q.lineOf[d] as number));
  }
  setText(r.availFlags, availFlagsText(q.availFlags));
  setText(r.availIdx, String(q.availIdx));
  setText(r.usedFlags, usedFlagsText(q.usedFlags));
  setText(r.usedIdx, String(q.usedIdx));
  setText(r.devNextAvail, String(q.deviceNextAvail));
  setText(r.devNextUsed, String(q.deviceNextUsed));
  setText(r.drvLastUsed, String(q.driverLastUsed));
  setText(r.availPending, String(ringDistance(q.deviceNextAvail, q.availIdx)));
  setText(r.usedPending, String(ringDistance(q.driverLastUsed, q.usedIdx)));
  const ap = pendingSlots(q.deviceNextAvail, q.availIdx, size);
  const up = pendingSlots(q.driverLastUsed, q.usedIdx, size);
  for (let s = 0; s < shown; s++) {
    const a = r.avail[s] ?? null;
    setText(a, String(q.availRing[s] ?? 0));
    setData(a?.parentElement ?? null, 'pending', ap[s] ? '1' : null);
    const u = r.used[s] ?? null;
    setText(u, `${q.usedRing[2 * s] ?? 0}/${q.usedRing[2 * s + 1] ?? 0}`);
    setData(u?.parentElement ?? null, 'pending', up[s] ? '1' : null);
  }
}

function paintTransport(r: TransportRefs, t: TransportView): void {
  const msi = t.mode === 'msi';
  const irqfd = t.mode === 'intx-irqfd';
  setText(r.mode, msi ? 'MSI-X' : irqfd ? 'INTx via irqfd' : 'INTx');
  setText(
    r.route,
    msi
      ? 'vector 0 config · 1 requestq · 2 eventq'
      : irqfd
        ? 'GSI 11: the back end asserts through an eventfd and KVM, the deassert comes from another party (seed 002)'
        : 'GSI 11, shared by every queue and the configuration',
  );
  setText(r.isr, msi ? '– (not used with MSI-X)' : `0x${t.isr.toString(16).padStart(2, '0')}${t.isr & 1 ? ' queue' : ''}${t.isr & 2 ? ' config' : ''}`);
  setText(r.asserted, msi ? '–' : t.asserted ? 'asserted' : 'deasserted');
  setData(r.asserted, 'on', !msi && t.asserted ? '1' : null);
  setText(r.raised, String(t.raised));
  setText(r.delivered, String(t.delivered));
  setText(r.coalesced, String(t.coalesced));
  setData(r.coalesced, 'nonzero', t.coalesced > 0 ? '1' : null);
  setText(r.masked, String(t.masked));
  setData(r.masked, 'nonzero', t.masked > 0 ? '1' : null);
}

/** The route layers, one list item each (rebuilt only when their number changes). */
function paintRoute(ol: HTMLOListElement | null, v: View): void {
  if (!ol) return;
  const layers = v.route;
  if (!layers || layers.length === 0) {
    if (ol.dataset['empty'] !== '1') {
      ol.dataset['empty'] = '1';
      const li = document.createElement('li');
      li.className = 'qi-layer-empty';
      li.textContent = 'Choose a line to see its route.';
      ol.replaceChildren(li);
    }
    return;
  }
  if (ol.dataset['empty'] === '1' || ol.children.length !== layers.length) {
    delete ol.dataset['empty'];
    const items = layers.map(() => {
      const li = document.createElement('li');
      li.className = 'qi-layer';
      for (const cls of ['qi-layer-name', 'qi-layer-id', 'qi-layer-mask', 'qi-layer-state']) {
        const s = document.createElement('span');
        s.className = cls;
        li.append(s);
      }
      return li;
    });
    ol.replaceChildren(...items);
  }
  layers.forEach((l, i) => {
    const li = ol.children[i] as HTMLElement;
    const [name, id, mask, state] = Array.from(li.children) as HTMLElement[];
    setText(name ?? null, l.layer);
    setText(id ?? null, l.id);
    setText(mask ?? null, l.masked ? 'masked' : 'open');
    setData(li, 'masked', l.masked ? '1' : '0');
    setText(state ?? null, l.state);
  });
}

interface Hover {
  queue: number;
  desc: number;
  anchor: HTMLElement;
}

/** The decoded buffer of the hovered descriptor, in the tooltip (built from text nodes only). */
function paintTip(tip: HTMLElement | null, hover: Hover | null, v: View | null, info: ScenarioInfo | null): void {
  if (!tip) return;
  const q = hover && v ? v.queues[hover.queue] : undefined;
  if (!hover || !q || hover.desc >= q.size) {
    if (!tip.hidden) tip.hidden = true;
    return;
  }
  const d = hover.desc;
  const desc = readDescriptor(q.desc, d);
  const owner = OWNER_NAMES[q.owner[d] as number] ?? 'free';
  const bytes = q.bytes[d] ?? null;
  const write = (desc.flags & VIRTQ_DESC_F_WRITE) !== 0;
  let requestType: number | undefined;
  if (write && q.name === 'requestq') {
    const p = chainPredecessor(q.desc, q.size, d, q.owner);
    const pb = p >= 0 ? q.bytes[p] : null;
    if (pb && pb.length >= 2) requestType = (pb[0] as number) | ((pb[1] as number) << 8);
  }
  const dec = decodeBuffer(q.name, write, owner === 'free' ? null : bytes, desc.len, requestType);
  const line = q.lineOf[d] as number;
  const title = `${q.name} descriptor ${d}: ${write ? 'device-writable' : 'device-readable'}, ${owner}${line >= 0 ? `, line ${lineLabel(info, line)}` : ''}`;
  let note = dec.note ?? '';
  if (write && (owner === 'available' || owner === 'device')) note = `${note ? `${note}; ` : ''}the device has not written it yet (memory as it is now)`;
  const sig = [title, hexBytes(bytes), dec.struct, ...dec.fields.flat(), note].join('\u0001');
  if (tip.dataset['sig'] !== sig) {
    tip.dataset['sig'] = sig;
    const el = (tag: string, cls: string, text: string): HTMLElement => {
      const e = document.createElement(tag);
      e.className = cls;
      e.textContent = text;
      return e;
    };
    const parts: HTMLElement[] = [el('div', 'qi-tip-title', title)];
    if (owner !== 'free' && bytes && bytes.length) parts.push(el('div', 'qi-tip-bytes mono', `${hexBytes(bytes)}${desc.len > bytes.length ? ' …' : ''}`));
    if (dec.struct !== 'empty') {
      parts.push(el('div', 'qi-tip-struct', `struct ${dec.struct}`));
      const dl = document.createElement('dl');
      dl.className = 'qi-tip-fields';
      for (const [k, val] of dec.fields) dl.append(el('dt', 'mono', k), el('dd', 'mono', val));
      parts.push(dl);
    }
    if (note || dec.struct === 'empty') parts.push(el('div', 'qi-tip-note', note || (dec.note ?? '')));
    tip.replaceChildren(...parts);
  }
  if (tip.hidden) tip.hidden = false;
  // Beside the table, level with the row, so it never hides the rows next to it; else below or above the row.
  const r = hover.anchor.getBoundingClientRect();
  const table = (hover.anchor.closest('.qi-descs') ?? hover.anchor).getBoundingClientRect();
  const h = tip.offsetHeight;
  const w = tip.offsetWidth;
  let top: number;
  let left: number;
  if (table.right + 8 + w <= window.innerWidth - 4) {
    left = table.right + 8;
    top = Math.max(4, Math.min(r.top - 4, window.innerHeight - h - 4));
  } else {
    top = r.bottom + 4 + h > window.innerHeight ? Math.max(4, r.top - h - 4) : r.bottom + 4;
    left = Math.max(4, Math.min(r.left + 24, window.innerWidth - w - 8));
  }
  tip.style.top = `${Math.round(top)}px`;
  tip.style.left = `${Math.round(left)}px`;
}

function Cell({ refSet, className }: { refSet: (el: HTMLElement | null) => void; className?: string }): React.JSX.Element {
  return <td ref={refSet} className={className} />;
}

function QueueSection({
  name,
  size,
  index,
  refs,
  tipId,
  onHover,
}: {
  name: string;
  size: number;
  index: number;
  refs: QueueRefs;
  tipId: string;
  onHover: (h: Hover | null) => void;
}): React.JSX.Element {
  const shown = Math.min(size, MAX_ROWS);
  const headingId = `qi-${name}-heading`;
  const rows = Array.from({ length: shown }, (_, d) => d);
  const leave = (e: React.SyntheticEvent<HTMLElement>): void => {
    if (document.activeElement !== e.currentTarget) onHover(null);
  };
  return (
    <section className="qi-queue" aria-labelledby={headingId} data-queue={name}>
      <h3 id={headingId} className="qi-h">
        {name} <span className="readout">size {size}</span>
      </h3>
      <dl className="qi-indices readout">
        <div>
          <dt>device next avail</dt>
          <dd ref={(el) => void (refs.devNextAvail = el)} data-testid={`${name}-device-next-avail`} />
        </div>
        <div>
          <dt>device next used</dt>
          <dd ref={(el) => void (refs.devNextUsed = el)} data-testid={`${name}-device-next-used`} />
        </div>
        <div>
          <dt>driver last used</dt>
          <dd ref={(el) => void (refs.drvLastUsed = el)} data-testid={`${name}-driver-last-used`} />
        </div>
      </dl>
      <div className="qi-body">
        <div className="qi-descs">
          {/* A read-only grid: one Tab stop (the first row, or the last one focused), arrow keys move. */}
          <table className="qi-table" role="grid" aria-readonly="true" aria-label={`${name} descriptor table`}>
            <thead>
              <tr>
                <th className="num"><Term k="#" focusable={false}>#</Term></th>
                <th><Term k="addr" focusable={false}>addr</Term></th>
                <th className="num"><Term k="len" focusable={false}>len</Term></th>
                <th><Term k="flags" focusable={false}>flags</Term></th>
                <th className="num"><Term k="next" focusable={false}>next</Term></th>
                <th><Term k="owner" focusable={false}>owner</Term></th>
                <th><Term k="line" focusable={false}>line</Term></th>
              </tr>
            </thead>
            <tbody onKeyDown={(e) => moveFocus(Array.from(e.currentTarget.rows), e.target as HTMLElement, e.key) && e.preventDefault()}>
              {rows.map((d) => {
                const r = refs.desc[d] as DescRefs;
                return (
                  <tr
                    key={d}
                    ref={(el) => void (r.row = el)}
                    tabIndex={d === 0 ? 0 : -1}
                    aria-describedby={tipId}
                    data-desc={d}
                    onMouseEnter={(e) => onHover({ queue: index, desc: d, anchor: e.currentTarget })}
                    onMouseLeave={leave}
                    onFocus={(e) => onHover({ queue: index, desc: d, anchor: e.currentTarget })}
                    onBlur={() => onHover(null)}
                  >
                    <td className="num">{d}</td>
                    <Cell className="mono" refSet={(el) => void (r.addr = el)} />
                    <Cell className="num" refSet={(el) => void (r.len = el)} />
                    <Cell className="mono" refSet={(el) => void (r.flags = el)} />
                    <Cell className="num" refSet={(el) => void (r.next = el)} />
                    <td>
                      <span className="qi-owner" ref={(el) => void (r.owner = el)} />
                    </td>
                    <Cell refSet={(el) => void (r.line = el)} />
                  </tr>
                );
              })}
            </tbody>
          </table>
          {size > shown && <p className="readout">Showing the first {shown} of {size} descriptors.</p>}
        </div>
        <div className="qi-rings">
          <div className="qi-ring-head">
            <b>avail ring</b> <span className="readout">flags</span> <span className="mono" ref={(el) => void (refs.availFlags = el)} />{' '}
            <span className="readout">idx</span> <span className="mono" ref={(el) => void (refs.availIdx = el)} data-testid={`${name}-avail-idx`} />{' '}
            <span className="readout">not yet taken by the device:</span> <span className="mono" ref={(el) => void (refs.availPending = el)} />
          </div>
          <ol className="qi-ring" aria-label={`${name} avail ring entries (descriptor heads)`}>
            {rows.map((s) => (
              <li key={s} title={`avail ring slot ${s}`}>
                <span className="qi-slot">{s}</span>
                <span className="qi-val" ref={(el) => void (refs.avail[s] = el)} />
              </li>
            ))}
          </ol>
          <div className="qi-ring-head">
            <b>used ring</b> <span className="readout">flags</span> <span className="mono" ref={(el) => void (refs.usedFlags = el)} />{' '}
            <span className="readout">idx</span> <span className="mono" ref={(el) => void (refs.usedIdx = el)} data-testid={`${name}-used-idx`} />{' '}
            <span className="readout">not yet taken back by the driver:</span> <span className="mono" ref={(el) => void (refs.usedPending = el)} />
          </div>
          <ol className="qi-ring used" aria-label={`${name} used ring entries (id/len)`}>
            {rows.map((s) => (
              <li key={s} title={`used ring slot ${s}: id/len`}>
                <span className="qi-slot">{s}</span>
                <span className="qi-val" ref={(el) => void (refs.used[s] = el)} />
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}

function newQueueRefs(size: number): QueueRefs {
  const n = Math.min(size, MAX_ROWS);
  return {
    desc: Array.from({ length: n }, () => ({ row: null, addr: null, len: null, flags: null, next: null, owner: null, line: null })),
    avail: new Array<HTMLElement | null>(n).fill(null),
    used: new Array<HTMLElement | null>(n).fill(null),
    availFlags: null,
    availIdx: null,
    usedFlags: null,
    usedIdx: null,
    devNextAvail: null,
    devNextUsed: null,
    drvLastUsed: null,
    availPending: null,
    usedPending: null,
  };
}

/**
 * Both virtqueues as they sit in guest memory (descriptor table, avail and used
 * rings, who owns each descriptor), the transport interrupt, and one line's
 * interrupt route through the irq hierarchy. Shows the time-travel state when
 * the cursor is set. React renders the tables when the queue sizes or the
 * scenario change; every frame writes the values in place.
 */
export function QueueInspector(): React.JSX.Element {
  const info = useApp(selectInfo);
  const inspectLine = useApp(selectInspectLine);
  const [shape, setShape] = useState<Shape>(() => shapeOf(shownView()));
  const shapeRef = useRef(shape);
  shapeRef.current = shape;
  const queueRefs = useRef<{ key: string; refs: QueueRefs[] }>({ key: '', refs: [] });
  if (queueRefs.current.key !== shape.key) queueRefs.current = { key: shape.key, refs: shape.queues.map((q) => newQueueRefs(q.size)) };
  const transport = useRef<TransportRefs>({ mode: null, route: null, isr: null, asserted: null, raised: null, delivered: null, coalesced: null, masked: null, when: null });
  const routeRef = useRef<HTMLOListElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const hover = useRef<Hover | null>(null);
  const tipId = 'qi-tip';

  const paint = useRef<() => void>(() => {});
  paint.current = (): void => {
    const v = shownView();
    const s = shapeOf(v);
    if (s.key !== shapeRef.current.key) {
      setShape(s);
      return;
    }
    const i = useApp.getState().info;
    setText(transport.current.when, live.snapshot ? `State at the cursor, t = ${formatNs(live.snapshot.t)} (time travel).` : v ? `Live state, t = ${formatNs(v.now)}.` : 'Waiting for the simulation.');
    if (!v) return;
    // Follow mode and Step: the descriptor chain the current event touched.
    const ring = currentMessage()?.ring ?? null;
    v.queues.forEach((q, k) => {
      const r = queueRefs.current.refs[k];
      if (r) paintQueue(r, q, i);
      if (r && markCurrent(r.desc.map((d) => d.row), (d) => ring !== null && ring.queue === k && ring.head === d) && ring?.queue === k) {
        revealWithin(r.desc[ring.head]?.row, ['.qi-descs', '.qi']);
      }
    });
    paintTransport(transport.current, v.transport);
    paintRoute(routeRef.current, v);
    paintTip(tipRef.current, hover.current, v, i);
  };

  useEffect(() => onHeavyFrame(() => paint.current()), []);
  // The worker sends ring state only while this panel shows it.
  useEffect(() => {
    client.send({ type: 'detail', queues: true });
    return () => client.send({ type: 'detail', queues: false });
  }, []);
  // After every render (a new shape or scenario), fill the new cells at once.
  useEffect(() => paint.current());

  // The hierarchy starts at the first line with an interrupt client.
  useEffect(() => {
    if (info && (inspectLine === null || inspectLine >= info.lines.length)) appActions().inspect(defaultInspectLine(info));
  }, [info, inspectLine]);


  const onHover = (h: Hover | null): void => {
    hover.current = h;
    paintTip(tipRef.current, h, shownView(), useApp.getState().info);
  };

  const t = transport.current;
  const setT = (k: keyof TransportRefs) => (el: HTMLElement | null) => void (t[k] = el);
  const selected = inspectLine ?? (info ? defaultInspectLine(info) : 0);
  return (
    <div className="qi">
      <p className="qi-legend">
        <span className="readout" ref={setT('when')} data-testid="qi-when" /> Who owns each descriptor:{' '}
        <span className="qi-owner" data-owner="free">free</span> on the driver's free list,{' '}
        <span className="qi-owner" data-owner="available">available</span> in the avail ring but not yet taken by the device,{' '}
        <span className="qi-owner" data-owner="device">device</span> taken and held by the device (an armed eventq buffer, a request in progress),{' '}
        <span className="qi-owner" data-owner="used">used</span> returned in the used ring but not yet taken back by the driver.
      </p>
      <div className="qi-top">
        <section className="qi-card" aria-labelledby="qi-transport-heading">
          <h3 id="qi-transport-heading" className="qi-h">
            Transport interrupt
          </h3>
          <dl className="qi-kv">
            <dt>mode</dt>
            <dd ref={setT('mode')} data-testid="qi-mode" />
            <dt>route</dt>
            <dd ref={setT('route')} />
            <dt>ISR</dt>
            <dd className="mono" ref={setT('isr')} />
            <dt>INTx line</dt>
            <dd ref={setT('asserted')} className="qi-asserted" />
            <dt>raised</dt>
            <dd className="mono" ref={setT('raised')} data-testid="qi-raised" />
            <dt>delivered</dt>
            <dd className="mono" ref={setT('delivered')} />
            <dt>coalesced</dt>
            <dd className="mono qi-count-warn" ref={setT('coalesced')} />
            <dt>masked</dt>
            <dd className="mono qi-count-warn" ref={setT('masked')} />
          </dl>
        </section>
        <section className="qi-card qi-route" aria-labelledby="qi-route-heading">
          <h3 id="qi-route-heading" className="qi-h">
            Interrupt hierarchy of{' '}
            <select
              className="sel"
              aria-label="Line for the interrupt hierarchy"
              value={String(selected)}
              onChange={(e) => appActions().inspect(Number(e.target.value))}
            >
              {info?.lines.map((l, i) => (
                <option key={i} value={String(i)}>
                  {l.name ? `${i} ${l.name}` : `${i}`}
                </option>
              ))}
            </select>
          </h3>
          <p className="readout qi-route-help">From the wire up to the CPU; each layer can stop the interrupt on its own.</p>
          <ol className="qi-layers" ref={routeRef} aria-label="Interrupt route layers, from the device line to the vector or GSI" data-testid="qi-route" />
        </section>
      </div>
      {shape.queues.length === 0 && <p className="readout">No virtqueues yet: the driver has not set them up.</p>}
      {shape.queues.map((q, k) => (
        <QueueSection
          key={`${shape.key}-${q.name}`}
          name={q.name}
          size={q.size}
          index={k}
          refs={queueRefs.current.refs[k] as QueueRefs}
          tipId={tipId}
          onHover={onHover}
        />
      ))}
      <div ref={tipRef} id={tipId} className="qi-tip" role="tooltip" hidden data-testid="qi-tip" />
    </div>
  );
}
