import { formatNs, type Comparison, type CountDiff, type Report } from '../sim/index';
import { table } from './format';
import { terminalLine } from './safe';

/** Columns of the side-by-side count table (as in `vgpio run`, plus the device's own results). */
const COLUMNS = ['delivered', 'coalesced', 'spurious', 'lost', 'invalid', 'handlerCalls', 'deviceMasked', 'deviceCoalesced'] as const;
const HEADINGS = ['delivered', 'coalesced', 'spurious', 'lost', 'invalid', 'handler calls', 'dev masked', 'dev coalesced'];
const WORDS: Record<string, string> = { handlerCalls: 'handler calls', deviceDelivered: 'device delivered', deviceCoalesced: 'device coalesced', deviceMasked: 'device masked' };

function changes(d: readonly CountDiff[]): string {
  return d.map((x) => `${WORDS[x.key] ?? x.key} ${x.a} -> ${x.b}`).join(', ');
}

function kinds(c: Record<string, number>): string {
  const e = Object.entries(c);
  return e.length === 0 ? 'none' : e.map(([k, n]) => (n === 1 ? k : `${k} x${n}`)).join(', ');
}

function rowsOf(tag: string, r: Report): string[][] {
  const rows: string[][] = [];
  for (const l of r.lines) {
    if (COLUMNS.every((k) => l[k] === 0) && l.deviceDelivered === 0) continue;
    rows.push([`${tag} ${l.line}${l.name ? ` ${l.name}` : ''}`, ...COLUMNS.map((k) => String(l[k]))]);
  }
  rows.push([`${tag} total`, ...COLUMNS.map((k) => String(r.total[k]))]);
  return rows;
}

/**
 * `vgpio diff` in words (plain text, one trailing newline): what was run, both
 * count tables, the per-line differences (A -> B), the causes each side shows
 * where they differ, and the first event at which the traces part. Every line
 * goes through the CLI's sanitizer.
 */
export function formatComparison(c: Comparison): string {
  const { a, b } = c;
  const out: string[] = [];
  out.push(`A: ${a.label}: ${a.report.title}`);
  out.push(`   seed ${a.report.seed}, spec ${a.report.spec}; ${a.report.events} events (${a.report.traceEvents} traced), trace hash ${a.report.traceHash}`);
  out.push(`B: ${b.label}: ${b.report.title}`);
  out.push(`   seed ${b.report.seed}, spec ${b.report.spec}; ${b.report.events} events (${b.report.traceEvents} traced), trace hash ${b.report.traceHash}`);
  out.push('');
  out.push(...table([['run line', ...HEADINGS], ...rowsOf('A', a.report), ...rowsOf('B', b.report)]));
  out.push('');
  if (c.lines.length === 0 && c.total.length === 0) out.push('differences: none in the counts');
  else {
    out.push('differences (A -> B):');
    for (const l of c.lines) out.push(`  ${l.line}${l.name ? ` ${l.name}` : ''}: ${changes(l.counts)}`);
    if (c.total.length > 0) out.push(`  total: ${changes(c.total)}`);
  }
  for (const d of c.causes) out.push(`  why ${d.label}: A ${kinds(d.a)}; B ${kinds(d.b)}`);
  out.push('');
  if (c.sameTrace || !c.divergence) out.push('traces: identical, event for event');
  else {
    const d = c.divergence;
    out.push(`traces diverge at event ${d.seq}${c.truncated ? ' (or earlier: a trace ring dropped its start)' : ''}:`);
    out.push(`  A ${d.a ? `at ${formatNs(d.a.t)}: ${d.a.text}` : '(the run had ended)'}`);
    out.push(`  B ${d.b ? `at ${formatNs(d.b.t)}: ${d.b.text}` : '(the run had ended)'}`);
  }
  return out.map(terminalLine).join('\n') + '\n';
}

/** The `--json` form: both reports' counts and causes, the differences and the divergence. */
export function comparisonJson(c: Comparison): unknown {
  const side = (s: Comparison['a']): unknown => ({
    label: s.label,
    title: s.report.title,
    seed: s.report.seed,
    traceHash: s.report.traceHash,
    events: s.report.events,
    traceEvents: s.report.traceEvents,
    lines: s.report.lines,
    total: s.report.total,
    causeCounts: s.report.causeCounts,
    causes: s.report.causes,
  });
  return { a: side(c.a), b: side(c.b), sameTrace: c.sameTrace, lines: c.lines, total: c.total, causes: c.causes, divergence: c.divergence, truncated: c.truncated };
}
