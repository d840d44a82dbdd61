import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Checks, before a long run, that `path` can be written: its folder exists and it is not a folder itself. */
export function checkOutputPath(path: string): string | null {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) return `${path}: ${dir} is not a folder`;
  } catch {
    return `${path}: the folder ${dir} does not exist`;
  }
  try {
    if (statSync(path).isDirectory()) return `${path}: is a folder`;
  } catch {
    // Not there yet: fine.
  }
  return null;
}

/**
 * Streams `chunks` into a temporary file beside `path`, then renames it over
 * `path`: a reader never sees a half-written file, and a failure leaves any
 * previous file untouched.
 */
export function writeAtomically(path: string, chunks: Iterable<string>): number {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd = -1;
  let bytes = 0;
  try {
    fd = openSync(tmp, 'w');
    for (const chunk of chunks) bytes += writeSync(fd, chunk);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
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
