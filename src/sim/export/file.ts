import { DIRECTION_NAMES } from '../gpio/constants';
import type { Machine } from '../machine';
import { toJsonl } from './jsonl';
import { toVcd } from './vcd';

/** The exports the app offers: the wires as VCD (PulseView-safe), VCD with message lanes, the trace as JSON Lines. */
export type ExportFormat = 'vcd-wires' | 'vcd-rich' | 'jsonl';

/** A file ready to hand to a person: its name, type and text. */
export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
}

export interface ExportContext {
  /** What the file is named after (a built-in id), sanitized here. */
  name: string | null;
  title: string;
  seed: number;
  /** Today's date for VCD headers (ISO 8601): the core has no clock of its own. */
  date: string;
  version: string;
}

/** One run, exported in one format, with the file name a person would expect. */
export function exportRun(m: Machine, format: ExportFormat, ctx: ExportContext): ExportFile {
  const base = (ctx.name ?? 'scenario').replace(/[^A-Za-z0-9._-]/g, '_');
  if (format === 'jsonl') {
    // The board in the header, so the app can open the file again as a recording with its lines named.
    const d = m.cfg.device;
    const lines = Array.from({ length: d.ngpio }, (_, i) => ({ name: d.names?.[i] ?? '', direction: DIRECTION_NAMES[d.initialDirection[i] ?? 0] ?? 'none' }));
    return { filename: `${base}.jsonl`, mime: 'application/x-ndjson', text: toJsonl(m, { title: ctx.title, seed: ctx.seed, source: 'simulation', lines }) };
  }
  const mode = format === 'vcd-rich' ? 'rich' : 'wires';
  const text = toVcd(m, { mode, date: ctx.date, version: ctx.version });
  return { filename: `${base}${mode === 'rich' ? '-rich' : ''}.vcd`, mime: 'text/plain', text };
}
