/**
 * A minimal writer for the kernel's initramfs format (cpio "newc", see the
 * kernel's early-userspace buffer-format.txt). Enough for regular files,
 * directories, symlinks and character devices, so an initramfs can be built
 * without root and without the cpio tool. Archives concatenate: the kernel
 * unpacks one after the other, later entries overriding earlier ones.
 */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

export function cpioNewc(entries: CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  let ino = 1;
  const push = (path: string, mode: number, data: Uint8Array, rmaj = 0, rmin = 0): void => {
    const name = enc.encode(path.replace(/^\/+/, '') + '\0');
    const header =
      '070701' +
      hex8(ino++) +
      hex8(mode) +
      hex8(0) + // uid
      hex8(0) + // gid
      hex8(mode & S_IFDIR ? 2 : 1) + // nlink
      hex8(0) + // mtime: fixed, so the same inputs give the same archive
      hex8(data.length) +
      hex8(0) +
      hex8(0) +
      hex8(rmaj) +
      hex8(rmin) +
      hex8(name.length) +
      hex8(0);
    const h = enc.encode(header);
    parts.push(h, name, new Uint8Array(pad4(h.length + name.length)), data, new Uint8Array(pad4(data.length)));
  };
  for (const e of entries) {
    switch (e.kind) {
      case 'dir':
        push(e.path, S_IFDIR | (e.mode ?? 0o755), new Uint8Array(0));
        break;
      case 'file':
        push(e.path, S_IFREG | (e.mode ?? 0o644), e.data);
        break;
      case 'symlink':
        push(e.path, S_IFLNK | 0o777, enc.encode(e.target));
        break;
      case 'chardev':
        push(e.path, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(0), e.major, e.minor);
        break;
    }
  }
  push('TRAILER!!!', 0, new Uint8Array(0));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total + pad4(total));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
