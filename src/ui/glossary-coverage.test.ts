import { describe, expect, test } from 'vitest';
import { DELIVERY_NAMES, DESC_OWNERS, glossaryEntry, SINK_NAMES, TRACE_CATEGORIES } from '../sim/index';
import { EV_STYLE, FLAG_STYLE } from './waveform-draw';

/**
 * Every word the app shows as a badge, legend item or column header has a
 * glossary entry (the hover definitions will read them). Labels the code
 * exports are read from it; the rest are copied here from the components,
 * as [label, the glossary key when the bare label has another sense].
 */
const LINES_BOARD_HEADINGS = ['#', 'name', 'dir', 'level', 'drive', 'client trigger', 'device type', 'state', 'sink', 'last', 'del', 'lost', 'spur', 'coal'];
const LINES_BOARD_BADGES: [string, string?][] = [['enabled'], ['masked', 'masked-flag'], ['armed'], ['latched'], ['handler']];
const WAVEFORM_SWATCHES = ['handler', 'threaded'];
const TRACE_COLUMNS = ['time', 'category', 'line', 'event'];
/** The category buttons whose bare word means something else in the glossary. */
const CATEGORY_KEYS: Record<string, string> = { ring: 'cat-ring', line: 'cat-line', device: 'cat-device', driver: 'cat-driver', check: 'cat-check', step: 'cat-step', transport: 'transport', msg: 'message', handler: 'handler' };
const QUEUE_COLUMNS = ['#', 'addr', 'len', 'flags', 'next', 'owner', 'line'];
const QUEUE_FIELDS = ['device next avail', 'device next used', 'driver last used'];
const TRANSPORT_FIELDS: [string, string?][] = [['mode'], ['route'], ['ISR'], ['INTx line'], ['raised'], ['delivered'], ['coalesced'], ['masked', 'masked-vector']];

describe('the glossary covers what the app shows', () => {
  const has = (label: string, key = label): void => {
    expect(glossaryEntry(key), `${label} (${key})`).toBeDefined();
  };

  test('lines board: every column heading and state badge', () => {
    for (const h of LINES_BOARD_HEADINGS) has(h);
    for (const [b, key] of LINES_BOARD_BADGES) has(b, key);
    expect(LINES_BOARD_HEADINGS).toHaveLength(14);
  });

  test('waveform legend: every marker and flag style, and the handler swatches', () => {
    const labels = [...Object.values(EV_STYLE), ...Object.values(FLAG_STYLE)].map((s) => s.label);
    expect(labels).toHaveLength(11);
    for (const l of labels) has(l);
    for (const l of WAVEFORM_SWATCHES) has(l);
  });

  test('trace list: every category button and column header', () => {
    expect(TRACE_CATEGORIES).toHaveLength(9);
    for (const c of TRACE_CATEGORIES) has(c, CATEGORY_KEYS[c] ?? c);
    for (const c of TRACE_COLUMNS) has(c);
  });

  test('ring inspector: descriptor columns, ring positions, owners and the transport readouts', () => {
    for (const c of QUEUE_COLUMNS) has(c);
    for (const f of QUEUE_FIELDS) has(f);
    for (const o of DESC_OWNERS.names) has(o);
    for (const [f, key] of TRANSPORT_FIELDS) has(f, key);
  });

  test('the words of the core\'s vocabularies shown in cells: sink states and delivery results', () => {
    for (const s of Object.values(SINK_NAMES)) has(s, s === 'masked' ? 'masked-sink' : s);
    for (const d of Object.values(DELIVERY_NAMES)) has(d, d === 'masked' ? 'masked-result' : d);
  });
});
