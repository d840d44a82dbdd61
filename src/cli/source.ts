import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { decodeLink, libraryEntry, MAX_SCENARIO_BYTES, parseJsonSafely, resolveScenario, type Result, type Scenario, validateScenario } from '../sim/index';

/** Where a scenario came from, and its JSON as written (before defaults). */
export interface Source {
  kind: 'file' | 'library' | 'link';
  /** How messages name it: the path, `built-in <id>`, or `link`. */
  label: string;
  json: unknown;
}

const LINK_LIKE = /^(https?:\/\/|#|s\d+\.)|#s\d+\./;

function fileInfo(path: string): 'file' | 'dir' | 'special' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'special';
  } catch {
    return null;
  }
}

/** What a path that is not a regular file is, for messages. */
export function specialKind(st: Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most `max` bytes. Anything else is refused
 * without reading: a character device such as /dev/zero never ends, and a
 * FIFO blocks until a writer comes (it is opened non-blocking, and checked
 * again on the open descriptor, in case the path changed after the first look).
 */
export function readRegularFile(path: string, max: number): { ok: true; text: string } | { ok: false; error: string } {
  const st = statSync(path);
  if (!st.isFile()) return { ok: false, error: `${path}: is ${specialKind(st)}, not a regular file; vgpio reads scenarios from regular files only` };
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) return { ok: false, error: `${path}: is ${specialKind(fst)}, not a regular file; vgpio reads scenarios from regular files only` };
    if (fst.size > max) return { ok: false, error: `${path}: the file is ${fst.size} bytes; scenarios are at most ${max / 1024} KB` };
    // Read at most max + 1 bytes: a file that grows while it is read is still caught.
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > max) return { ok: false, error: `${path}: the file is larger than ${max} bytes; scenarios are at most ${max / 1024} KB` };
    }
    return { ok: true, text: buf.subarray(0, n).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/**
 * Finds a scenario by what the user typed: an existing file path first, then
 * a built-in id, then a share link (bare, fragment or whole URL).
 */
export async function loadSource(ref: string): Promise<Result<Source>> {
  const info = ref.length < 4096 ? fileInfo(ref) : null;
  if (info === 'dir') return { ok: false, error: `${ref}: is a directory, not a scenario file` };
  if (info === 'special' || info === 'file') {
    let text: string;
    try {
      const read = readRegularFile(ref, MAX_SCENARIO_BYTES);
      if (!read.ok) return read;
      text = read.text;
    } catch (e) {
      return { ok: false, error: `${ref}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    const parsed = parseJsonSafely(text);
    if (!parsed.ok) return { ok: false, error: `${ref}: ${parsed.error}` };
    return { ok: true, value: { kind: 'file', label: ref, json: parsed.value } };
  }
  const entry = libraryEntry(ref);
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
