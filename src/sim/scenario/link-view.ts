import { MAX_DURATION_NS } from '../actions';
import { MAX_COMPARE_SETTINGS, MAX_SETTING_CHARS } from './compare-view';

/** A share link's format and version (link.ts encodes and decodes it): `s1.` + base64url(deflate-raw(JSON)). */
export const LINK_PREFIX = 's1.';

/**
 * What a page address says beyond the scenario: where its author was looking.
 * The fragment is `<source>[&<field>=<value>]…`, the source being a share
 * link's payload (`s1.…`) or a built-in scenario (`scenario=<id>`); the
 * fields are plain and percent-encoded, so a person can read and edit them:
 *
 *   t=<ns>        the time-travel cursor (whole ns, 0 to one simulated hour)
 *   sel=<seq>     the selected trace event (a flag's row), by its trace number
 *   tab=<name>    the open panel tab (the page checks the name)
 *   with=<set>    a comparison's second settings, one field per setting
 *                 (`with=device.preset%3Drust-vmm`), as `vgpio diff --with` takes them
 *
 * Fields are optional: a link without them (every link made before they
 * existed) opens as it always did. The text is hostile: every field is
 * checked, a bad or unknown one is dropped with a message naming it, and the
 * parser never throws.
 */

export interface LinkView {
  t?: number;
  sel?: number;
  tab?: string;
  with?: string[];
}

export type HashSource = { kind: 'link'; link: string } | { kind: 'library'; id: string };

export interface ParsedHash {
  /** The scenario the address names, or null (none, or another kind of address such as #lesson=). */
  source: HashSource | null;
  view: LinkView;
  /** One message per field that was dropped, naming it. */
  errors: string[];
}

const TAB_NAME = /^[a-z][a-z-]{0,31}$/;
const WHOLE = /^\d{1,16}$/;
/** Fields a fragment may hold at most (a link's own limit bounds the text; this bounds the work). */
const MAX_FIELDS = 64;

/** Percent-decoding that never throws (malformed escapes: null). */
function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Shown in messages: a field's text as written, shortened and with control characters removed. */
function shown(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return JSON.stringify(clean.length > 40 ? clean.slice(0, 37) + '...' : clean);
}

/** Reads a page address's fragment (with or without `#`). Never throws. */
export function parseHash(hash: string): ParsedHash {
  const out: ParsedHash = { source: null, view: {}, errors: [] };
  if (typeof hash !== 'string') return out;
  const h = hash.replace(/^#/, '');
  if (h === '') return out;
  const parts = h.split('&');
  let i = 0;
  const first = parts[0] as string;
  if (first.startsWith(LINK_PREFIX) || /^s\d+\./.test(first)) {
    out.source = { kind: 'link', link: first };
    i = 1;
  } else if (first.startsWith('scenario=')) {
    // Malformed escapes pass as written: the worker answers "no built-in scenario".
    const raw = first.slice('scenario='.length);
    out.source = { kind: 'library', id: decode(raw) ?? raw };
    i = 1;
  } else if (first.startsWith('lesson=') || first.startsWith('live=')) {
    return out; // Another kind of address (lesson-link.ts, live-source.ts): no view fields.
  }
  const fields = parts.slice(i).filter((p) => p !== '');
  if (fields.length > MAX_FIELDS) {
    out.errors.push(`the address has ${fields.length} fields; at most ${MAX_FIELDS} are read`);
    fields.length = MAX_FIELDS;
  }
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    const rawValue = eq < 0 ? '' : f.slice(eq + 1);
    const value = decode(rawValue);
    const bad = (why: string): void => void out.errors.push(`link field ${shown(key)} ignored: ${why}`);
    if (value === null) {
      bad('its value is not valid percent-encoding');
      continue;
    }
    switch (key) {
      case 't':
      case 'sel': {
        const n = WHOLE.test(value) ? Number(value) : NaN;
        const max = key === 't' ? MAX_DURATION_NS : Number.MAX_SAFE_INTEGER;
        if (!Number.isSafeInteger(n) || n > max) {
          bad(key === 't' ? `expected a time in whole ns from 0 to ${MAX_DURATION_NS}, got ${shown(value)}` : `expected a trace event number, got ${shown(value)}`);
          break;
        }
        if (key === 't') out.view.t = n;
        else out.view.sel = n;
        break;
      }
      case 'tab':
        if (!TAB_NAME.test(value)) bad(`expected a panel name such as trace, got ${shown(value)}`);
        else out.view.tab = value;
        break;
      case 'with': {
        const list = out.view.with ?? [];
        if (value.length === 0 || value.length > MAX_SETTING_CHARS) bad(`expected a setting such as device.preset=rust-vmm of at most ${MAX_SETTING_CHARS} characters`);
        else if (list.length >= MAX_COMPARE_SETTINGS) bad(`at most ${MAX_COMPARE_SETTINGS} settings`);
        else out.view.with = [...list, value];
        break;
      }
      default:
        bad('not a field this vgpio-lab knows (t, sel, tab, with)');
    }
  }
  return out;
}

/** The fields for a view, `&`-prefixed, in a fixed order (empty for an empty view). */
export function viewFields(view: LinkView): string {
  let s = '';
  if (view.t !== undefined) s += `&t=${view.t}`;
  if (view.sel !== undefined) s += `&sel=${view.sel}`;
  if (view.tab !== undefined) s += `&tab=${encodeURIComponent(view.tab)}`;
  for (const w of view.with ?? []) s += `&with=${encodeURIComponent(w)}`;
  return s;
}

/** A built-in scenario's address fragment (with `#`). */
export function scenarioHash(id: string, view: LinkView = {}): string {
  return `#scenario=${encodeURIComponent(id)}${viewFields(view)}`;
}
