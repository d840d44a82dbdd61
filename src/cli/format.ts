import { formatNs, type ExplainedCause, type LineReport, type Report } from '../sim/index';
import { terminalLine } from './safe';

/** Right-aligned columns; the first column left-aligned. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd());
}

/** Violations listed in the human summary (--json has the runner's whole list). */
const MAX_LISTED = 20;
const COLUMNS = ['delivered', 'coalesced', 'spurious', 'lost', 'invalid', 'handlerCalls'] as const;
const HEADINGS = ['delivered', 'coalesced', 'spurious', 'lost', 'invalid', 'handler calls'];

function active(l: LineReport): boolean {
  return COLUMNS.some((k) => l[k] > 0) || l.deviceDelivered + l.deviceCoalesced + l.deviceMasked > 0;
}

/**
 * The human summary of a run (plain text, one trailing newline). Its output
 * boundary: each line goes through {@link terminalLine}, so nothing from the
 * scenario (title, names, keys, messages) reaches the terminal as control
 * characters or starts a line of its own.
 */
export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push(r.title);
  out.push(
    `seed ${r.seed}, spec ${r.spec}; simulated ${formatNs(r.simulatedNs)}, ${r.events} events (${r.traceEvents} traced), trace hash ${r.traceHash}` +
      (r.stop === 'event-limit' ? ' (stopped at the event limit)' : ''),
  );
  out.push('');
  const shown = r.lines.filter(active);
  const rows: string[][] = [['line', ...HEADINGS]];
  for (const l of shown) rows.push([`${l.line}${l.name ? ` ${l.name}` : ''}`, ...COLUMNS.map((k) => String(l[k]))]);
  rows.push(['total', ...COLUMNS.map((k) => String(r.total[k]))]);
  out.push(...table(rows));
  out.push(...whyLines(r, shown));
  const idle = r.lines.length - shown.length;
  if (idle > 0) out.push(`(${idle} line${idle === 1 ? '' : 's'} without interrupt activity not shown)`);
  const t = r.transport;
  out.push(
    `requestq messages: ${r.total.requests}; ${t.mode === 'msi' ? 'MSI-X' : 'INTx'} interrupts: ${t.raised} raised, ${t.delivered} delivered, ` +
      `${t.coalesced} coalesced, ${t.masked} masked`,
  );
  if (r.total.warnings > 0) out.push(`guest kernel warnings: ${r.total.warnings}`);
  if (r.deviceFailed) out.push('the device failed during the run');
  if (r.pendingAtEnd > 0) out.push(`${r.pendingAtEnd} owed interrupt(s) too recent to judge at the end`);
  out.push('');

  if (r.violationCount === 0 && r.advisoryCount === 0) out.push('violations: none');
  else {
    out.push(`violations: ${r.violationCount} MUST-level, ${r.advisoryCount} advisory (SHOULD)`);
    for (const v of r.violations.slice(0, MAX_LISTED)) {
      out.push(`  ${v.level === 'must' ? 'VIOLATION' : 'advisory '} ${v.rule} (virtio 1.2 ${v.section}) at ${formatNs(v.t)}${v.line >= 0 ? `, line ${v.line}` : ''}: ${v.message}`);
    }
    const listed = Math.min(r.violations.length, MAX_LISTED);
    if (listed < r.violationCount + r.advisoryCount) out.push(`  (${r.violationCount + r.advisoryCount - listed} more not listed; --json has the details)`);
  }
  // The transcript ends at the prompt the shell printed last: leave that out.
  const shell = r.shellOutput.replace(/\n?\$ ?$/, '').replace(/\n$/, '');
  if (shell.trim() !== '') {
    out.push('', 'shell output:');
    for (const l of shell.split('\n')) out.push(`  ${l}`);
  }
  out.push('');
  if (r.expectations.length === 0) out.push('expectations: none given');
  else {
    out.push('expectations:');
    for (const e of r.expectations) {
      out.push(`  ${e.ok ? '✓' : '✗'} ${e.what}: expected ${e.expected}, got ${e.actual}`);
    }
  }
  const failed = r.expectations.filter((e) => !e.ok).length;
  out.push('', failed === 0 ? 'result: ok' : `result: FAILED (${failed} of ${r.expectations.length} expectations not met)`);
  return out.map(terminalLine).join('\n') + '\n';
}

/** The flags that get a "why" line, in table order. */
const WHY_LABELS = ['coalesced', 'spurious', 'lost'] as const;

/**
 * One "why" line per non-zero coalesced / spurious / lost count of a line: the
 * sentence of its first cause, its kind, and what the other causes were
 * (--json carries every chain).
 */
export function whyLines(r: Report, shown: readonly LineReport[]): string[] {
  const out: string[] = [];
  for (const l of shown) {
    for (const label of WHY_LABELS) {
      if (l[label] === 0) continue;
      const causes = r.causes.filter((c) => c.line === l.line && c.label === label);
      const where = `${l.line}${l.name ? ` ${l.name}` : ''}`;
      const first = causes[0];
      if (!first) {
        out.push(`  why ${label} on ${where}: ${r.causesRecorded ? 'no cause recorded (older than the causes kept)' : 'not recorded (the trace is off)'}`);
        continue;
      }
      out.push(`  why ${label} on ${where}: ${first.sentence} [${first.kind}]${others(causes)}`);
    }
  }
  return out;
}

function others(causes: readonly ExplainedCause[]): string {
  if (causes.length < 2) return '';
  const kinds = new Map<string, number>();
  for (const c of causes.slice(1)) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  const rest = causes.length - 1;
  if (kinds.size === 1 && kinds.has((causes[0] as ExplainedCause).kind)) return ` (and ${rest} more, all ${(causes[0] as ExplainedCause).kind})`;
  return ` (and ${rest} more: ${[...kinds].map(([k, n]) => `${k} x${n}`).join(', ')})`;
}
