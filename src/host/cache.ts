import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `vgpio guest --setup` keeps the guest it builds (per user), and the
 * manifest that says what is there. Nothing in it is committed: the kernel,
 * the GPL driver module and QEMU are built or unpacked on the user's machine.
 */
export const MANIFEST_VERSION = 1;

export interface GuestManifest {
  version: typeof MANIFEST_VERSION;
  /** Kernel ABI, e.g. 6.1.0-57-amd64. */
  abi: string;
  /** Uncompressed kernel with a PVH entry (booted with qboot). */
  kernel: string;
  /** Initramfs (gzip newc): busybox, libgpiod v2 tools, virtio modules, gpio-virtio. */
  initrd: string;
  qemu: string;
  /** Directory with qboot.rom and the option ROMs (QEMU's -L). */
  qemuData: string;
  /** Directory QEMU looks for its modules in (QEMU_MODULE_DIR), or '' */
  qemuModules: string;
  qemuVersion: string;
  gpiodVersion: string;
  builtAt: string;
  setupSeconds: number;
}

export function cacheDir(): string {
  const own = process.env['VGPIO_GUEST_CACHE'];
  if (own) return own;
  const sudoHome = sudoUser()?.home;
  if (sudoHome) return join(sudoHome, '.cache', 'vgpio-lab', 'guest');
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'vgpio-lab', 'guest');
}

/**
 * The user behind `sudo` (setup must run as root, but the cache belongs to the
 * user who will run the guest), or null when not under sudo.
 */
export function sudoUser(): { name: string; uid: number; gid: number; home: string } | null {
  const name = process.env['SUDO_USER'];
  const uid = Number(process.env['SUDO_UID']);
  const gid = Number(process.env['SUDO_GID']);
  if (!name || name === 'root' || !Number.isInteger(uid) || !Number.isInteger(gid) || typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name && f[5]) return { name, uid, gid, home: f[5] };
    }
  } catch {
    /* no passwd file: fall back to root's cache */
  }
  return null;
}

export function manifestPath(dir = cacheDir()): string {
  return join(dir, 'manifest.json');
}

/** The manifest when the cache is complete (every file it names exists), else null with why. */
export function readManifest(dir = cacheDir()): { ok: true; manifest: GuestManifest } | { ok: false; reason: string } {
  const p = manifestPath(dir);
  if (!existsSync(p)) return { ok: false, reason: `no guest cache at ${dir} (run \`vgpio guest --setup\`)` };
  let m: GuestManifest;
  try {
    m = JSON.parse(readFileSync(p, 'utf8')) as GuestManifest;
  } catch {
    return { ok: false, reason: `${p} is not valid JSON (run \`vgpio guest --setup --force\`)` };
  }
  if (m.version !== MANIFEST_VERSION) return { ok: false, reason: `${p} has format ${String(m.version)}, expected ${MANIFEST_VERSION} (run \`vgpio guest --setup --force\`)` };
  for (const f of [m.kernel, m.initrd, m.qemu, join(m.qemuData, 'qboot.rom')]) {
    if (!existsSync(f)) return { ok: false, reason: `${f} is missing from the guest cache (run \`vgpio guest --setup --force\`)` };
  }
  return { ok: true, manifest: m };
}

/** "10.0.2" -> [10, 0, 2]; unknown parts are 0. */
export function parseVersion(v: string): [number, number, number] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

/** QEMU 9.0 is the first whose vhost-user-gpio front end passes VIRTIO_GPIO_F_IRQ to the guest. */
export function qemuPassesIrq(version: string): boolean {
  return parseVersion(version)[0] >= 9;
}
