import { readFileSync, statSync } from 'node:fs';
import { decodeLink, LIBRARY, MAX_SCENARIO_BYTES, parseJsonSafely, resolveScenario, type Result, type Scenario, validateScenario } from '../sim/index';

/** Where a scenario came from, and its JSON as written (before defaults). */
export interface Source {
  kind: 'file' | 'library' | 'link';
  /** How messages name it: the path, `built-in <id>`, or `link`. */
  label: string;
  json: unknown;
}

const LINK_LIKE = /^(https?:\/\/|#|s\d+\.)|#s\d+\./;

function fileInfo(path: string): 'file' | 'dir' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/**
 * Finds a scenario by what the user typed: an existing file path first, then
 * a built-in id, then a share link (bare, fragment or whole URL).
 */
export async function loadSource(ref: string): Promise<Result<Source>> {
  const info = ref.length < 4096 ? fileInfo(ref) : null;
  if (info === 'dir') return { ok: false, error: `${ref}: is a directory, not a scenario file` };
  if (info === 'file') {
    let text: string;
    try {
      const size = statSync(ref).size;
      if (size > MAX_SCENARIO_BYTES) return { ok: false, error: `${ref}: the file is ${size} bytes; scenarios are at most ${MAX_SCENARIO_BYTES / 1024} KB` };
      text = readFileSync(ref, 'utf8');
    } catch (e) {
      return { ok: false, error: `${ref}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    const parsed = parseJsonSafely(text.replace(/^\uFEFF/, ''));
    if (!parsed.ok) return { ok: false, error: `${ref}: ${parsed.error}` };
    return { ok: true, value: { kind: 'file', label: ref, json: parsed.value } };
  }
  const entry = LIBRARY.find((e) => e.id === ref);
  if (entry) return { ok: true, value: { kind: 'library', label: `built-in ${entry.id}`, json: entry.scenario } };
  if (LINK_LIKE.test(ref.trim())) {
    const decoded = await decodeLink(ref);
    if (!decoded.ok) return { ok: false, error: `link: ${decoded.error}` };
    return { ok: true, value: { kind: 'link', label: 'link', json: decoded.value } };
  }
  return { ok: false, error: `${ref}: no such file, built-in scenario (see \`vgpio list\`) or share link` };
}

/** A source validated as a scenario, references to lines and clients included; the error names the field. */
export function validateSource(src: Source): Result<Scenario> {
  const v = validateScenario(src.json);
  if (!v.ok) return { ok: false, error: `${src.label}: invalid scenario: ${v.error}` };
  const resolved = resolveScenario(v.value, { traceEnabled: false, traceCapacity: 1 });
  if (!resolved.ok) return { ok: false, error: `${src.label}: invalid scenario: ${resolved.error}` };
  return v;
}
