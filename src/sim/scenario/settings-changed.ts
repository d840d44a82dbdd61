import { effectivePolicies } from '../gpio/policy-info';
import type { PolicyPreset } from '../gpio/policies';

/**
 * Which settings of a session differ from its scenario file: the paths a
 * settings change can touch (seed, spec, preset, transport, every policy as
 * the device runs it, driver variants, latencies), compared with the
 * format's defaults filled in. Plain JSON in, no validator: the page marks
 * library entries with it.
 */

type Json = Record<string, unknown>;
const obj = (x: unknown): Json => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : {});
const str = <T extends string>(x: unknown, d: T): T => (typeof x === 'string' ? (x as T) : d);

/** Driver variants and their defaults (docs/scenario-format.md). */
const DRIVER_DEFAULTS: Readonly<Json> = { flow: 'level', requeue: 'after', mask: 'flag', typeChange: 'direct', eventIdx: false };

/** The setting paths where `now` differs from `file` (both scenario JSON in file form), in a stable order. */
export function changedSettings(file: unknown, now: unknown): string[] {
  const out: string[] = [];
  const a = obj(file);
  const b = obj(now);
  const da = obj(a['device']);
  const db = obj(b['device']);
  if ((a['seed'] ?? 1) !== (b['seed'] ?? 1)) out.push('seed');
  const specA = str(da['spec'], 'v1.2');
  const specB = str(db['spec'], 'v1.2');
  const presetA = str<PolicyPreset>(da['preset'], 'spec');
  const presetB = str<PolicyPreset>(db['preset'], 'spec');
  if (specA !== specB) out.push('device.spec');
  if (presetA !== presetB) out.push('device.preset');
  if (str(da['transport'], 'msi') !== str(db['transport'], 'msi')) out.push('device.transport');
  const pa = effectivePolicies(presetA, specA as 'v1.2' | 'v8', obj(da['policy']));
  const pb = effectivePolicies(presetB, specB as 'v1.2' | 'v8', obj(db['policy']));
  pa.forEach((p, i) => {
    if (p.value !== pb[i]?.value) out.push(`device.policy.${p.key}`);
  });
  const la = obj(da['latency']);
  const lb = obj(db['latency']);
  for (const k of [...new Set([...Object.keys(la), ...Object.keys(lb)])].sort()) {
    if (JSON.stringify(la[k]) !== JSON.stringify(lb[k])) out.push(`device.latency.${k}`);
  }
  const ra = obj(a['driver']);
  const rb = obj(b['driver']);
  for (const [k, d] of Object.entries(DRIVER_DEFAULTS)) if ((ra[k] ?? d) !== (rb[k] ?? d)) out.push(`driver.${k}`);
  return out;
}
