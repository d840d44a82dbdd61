import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The output path that means standard output. */
export const STDOUT = '-';

/** Symlinks followed before giving up (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * Where writing `path` really lands: symlinks are followed (a dangling one
 * to the path it names, which is then created), so the file they point at is
 * written and the links stay links.
 */
export function resolveOutput(path: string): string {
  let p = resolve(path);
  for (let i = 0; i < MAX_LINKS; i++) {
    let st: Stats;
    try {
      st = lstatSync(p);
    } catch {
      return p; // not there yet
    }
    if (!st.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw Object.assign(new Error(`${path}: too many levels of symbolic links`), { code: 'ELOOP' });
}

/** How an output is written: to stdout, renamed into place, or straight through to a device or FIFO. */
export type OutputKind = 'stdout' | 'replace' | 'stream';

function kindOf(st: Stats | null): OutputKind | string {
  if (st === null || st.isFile()) return 'replace';
  if (st.isCharacterDevice() || st.isFIFO()) return 'stream';
  if (st.isDirectory()) return 'is a folder';
  if (st.isBlockDevice()) return 'is a block device; vgpio does not write to block devices';
  if (st.isSocket()) return 'is a socket; vgpio writes to regular files, character devices and FIFOs only';
  return 'is not a regular file';
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/**
 * Checks, before a long run, that `path` can be written: `-` (stdout), a
 * regular file or a new file in an existing folder, a character device or a
 * FIFO; symlinks are followed. Returns the problem, or null.
 */
export function checkOutputPath(path: string): string | null {
  if (path === STDOUT) return null;
  let target: string;
  try {
    target = resolveOutput(path);
  } catch (e) {
    return (e as Error).message;
  }
  const shown = target === resolve(path) ? path : `${path} (-> ${target})`;
  const dir = dirname(target);
  const dst = statOrNull(dir);
  if (dst === null) return `${shown}: the folder ${dir} does not exist`;
  if (!dst.isDirectory()) return `${shown}: ${dir} is not a folder`;
  const kind = kindOf(statOrNull(target));
  return kind === 'replace' || kind === 'stream' ? null : `${shown}: ${kind}`;
}

/**
 * Writes `chunks` to `path` and returns the bytes written.
 *
 * - `-`: standard output.
 * - A regular file, or a new one: a temporary file beside it, renamed over it
 *   when complete, so a reader never sees a half-written file and a failure
 *   leaves any previous file untouched; an existing file keeps its mode.
 * - A character device or FIFO (`/dev/null`, a pipe a reader waits on):
 *   written straight through, never replaced.
 * - Symlinks are followed: the file they point at is written (renamed into
 *   place in its own folder) and the link stays a link.
 * - Anything else (a folder, a socket, a block device) is refused.
 */
export function writeOutput(path: string, chunks: Iterable<string>): number {
  if (path === STDOUT) {
    let bytes = 0;
    for (const chunk of chunks) {
      process.stdout.write(chunk);
      bytes += Buffer.byteLength(chunk);
    }
    return bytes;
  }
  const target = resolveOutput(path);
  const st = statOrNull(target);
  const kind = kindOf(st);
  if (kind === 'stream') return streamInto(target, chunks);
  if (kind !== 'replace') throw new Error(`${path}: ${kind}`);
  return writeAtomically(target, chunks, st);
}

function streamInto(target: string, chunks: Iterable<string>): number {
  // No O_CREAT, no O_TRUNC: the node exists and stays what it is.
  const fd = openSync(target, constants.O_WRONLY);
  let bytes = 0;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() && !st.isFIFO()) throw new Error(`${target}: changed while it was opened; not writing`);
    for (const chunk of chunks) bytes += writeAll(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function writeAll(fd: number, chunk: string): number {
  const buf = Buffer.from(chunk, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  return buf.length;
}

/**
 * Streams `chunks` into a temporary file beside `target` (a resolved path,
 * not a symlink), then renames it over `target`.
 */
export function writeAtomically(target: string, chunks: Iterable<string>, existing: Stats | null = statOrNull(target)): number {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd = -1;
  let bytes = 0;
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
    if (existing?.isFile()) fchmodSync(fd, existing.mode & 0o7777);
    for (const chunk of chunks) bytes += writeAll(fd, chunk);
    closeSync(fd);
    fd = -1;
    // The target may have changed since it was looked at: never rename over anything but a regular file.
    const now = lstatOrNull(target);
    if (now !== null && !now.isFile()) throw new Error(`${target}: is no longer a regular file; not replacing it`);
    renameSync(tmp, target);
    return bytes;
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was created.
    }
    throw e;
  }
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
