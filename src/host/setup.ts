import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cacheDir, manifestPath, MANIFEST_VERSION, qemuPassesIrq, readManifest, sudoUser, type GuestManifest } from './cache';
import { cpioNewc, type CpioEntry } from './cpio';
import { INIT_SCRIPT } from './init-script';

/**
 * `vgpio guest --setup`: builds the real guest from Debian packages into the
 * per-user cache (reference/real-guest.md): the generic amd64 kernel as an
 * uncompressed vmlinux (PVH entry, booted by qboot), the gpio-virtio module
 * built out of tree from linux-source against the matching linux-headers, an
 * initramfs with busybox-static and libgpiod v2 tools, and QEMU >= 9 from
 * bookworm-backports unpacked beside the system. Shells out to apt-get, dpkg,
 * tar, xz and make; idempotent (a complete cache returns at once).
 */
export interface SetupOptions {
  force: boolean;
  kernel?: string;
  initrd?: string;
  qemu?: string;
  log: (s: string) => void;
}

export class SetupError extends Error {}

const VIRTIO_MODULES = ['virtio_ring', 'virtio', 'virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio_pci'];
const GPIOD_TOOLS = ['gpiodetect', 'gpioinfo', 'gpioget', 'gpioset', 'gpiomon', 'gpionotify'];
const BACKPORTS = 'bookworm-backports';

interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: Buffer } = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, input: opts.input, maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw new SetupError(`cannot run ${cmd}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

function must(cmd: string, args: string[], what: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-8).join('\n');
    throw new SetupError(`${what} failed (${cmd} ${args.join(' ')}, exit ${r.status}):\n${tail}`);
  }
  return r.stdout;
}

function osRelease(): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const line of readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) out[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
    }
  } catch {
    /* absent: not a Debian system */
  }
  return out;
}

/** The Debian mirror URI of the machine's own entries, so backports comes from the same place. */
function debianMirror(): string {
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const f of readdirSync('/etc/apt/sources.list.d')) if (/\.(list|sources)$/.test(f)) files.push(join('/etc/apt/sources.list.d', f));
  }
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deb822 = /^URIs:\s*(\S+)\s*$[\s\S]*?^Suites:\s*.*\bbookworm\b/m.exec(text);
    if (deb822 && !/security/.test(deb822[1] as string)) return deb822[1] as string;
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (oneLine && !/security/.test(oneLine[1] as string)) return oneLine[1] as string;
  }
  return 'http://deb.debian.org/debian';
}

function hasBackports(): boolean {
  const r = run('apt-cache', ['policy']);
  return r.status === 0 && r.stdout.includes(`${BACKPORTS}/main`);
}

function ensureBackports(log: (s: string) => void): void {
  if (hasBackports()) return;
  const mirror = debianMirror();
  const file = '/etc/apt/sources.list.d/vgpio-bookworm-backports.sources';
  log(`  adding ${BACKPORTS} from ${mirror} (${file})`);
  writeFileSync(
    file,
    `# Added by vgpio guest --setup: QEMU >= 9 and gpiod 2.x for the real-guest run.\nTypes: deb\nURIs: ${mirror}\nSuites: ${BACKPORTS}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  log('  apt-get update');
  must('apt-get', ['update', '-qq'], 'apt-get update');
}

/** The linux-image package linux-image-amd64 currently points to, e.g. linux-image-6.1.0-57-amd64. */
function resolveAbi(): string {
  const r = run('apt-cache', ['depends', 'linux-image-amd64']);
  const out = r.stdout + r.stderr;
  const m = /Depends:\s*linux-image-(\d+\.\d+\.\d+-\d+-amd64)\b/.exec(out);
  if (!m) {
    throw new SetupError(
      `cannot resolve the kernel ABI from \`apt-cache depends linux-image-amd64\` (Debian's generic kernel; Ubuntu has no such package: give --kernel, --initrd and --qemu there):\n${out}`,
    );
  }
  return m[1] as string;
}

function candidate(pkg: string, release?: string): string | null {
  const r = run('apt-cache', ['policy', pkg]);
  if (r.status !== 0) return null;
  if (!release) {
    const m = /Candidate:\s*(\S+)/.exec(r.stdout);
    return m && m[1] !== '(none)' ? (m[1] as string) : null;
  }
  // The highest version table entry from the release.
  const lines = r.stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const v = /^\s{5}(?:\*\*\*\s)?\s*(\S+)\s+\d+$/.exec(lines[i] as string);
    if (!v) continue;
    for (let j = i + 1; j < lines.length && /^\s{8}/.test(lines[j] as string); j++) if ((lines[j] as string).includes(`${release}/`)) return v[1] as string;
  }
  return null;
}

function debName(dir: string, pkg: string): string {
  const f = readdirSync(dir).find((n) => n.startsWith(`${pkg}_`) && n.endsWith('.deb'));
  if (!f) throw new SetupError(`apt-get download produced no ${pkg}_*.deb in ${dir}`);
  return join(dir, f);
}

/** Finds the compressed payload in a bzImage and unpacks it (the idea of the kernel's extract-vmlinux). */
function extractVmlinux(bzImage: string, out: string): void {
  const img = readFileSync(bzImage);
  const formats: { magic: number[]; cmd: string; args: string[] }[] = [
    { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], cmd: 'xz', args: ['-dc', '--single-stream'] },
    { magic: [0x28, 0xb5, 0x2f, 0xfd], cmd: 'zstd', args: ['-dc'] },
    { magic: [0x1f, 0x8b, 0x08], cmd: 'gzip', args: ['-dc'] },
  ];
  for (const f of formats) {
    let at = img.indexOf(Buffer.from(f.magic));
    while (at >= 0) {
      const r = spawnSync(f.cmd, f.args, { input: img.subarray(at), maxBuffer: 512 * 1024 * 1024 });
      const elf = r.stdout;
      if (elf && elf.length > 1024 * 1024 && elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46) {
        writeFileSync(out, elf);
        return;
      }
      at = img.indexOf(Buffer.from(f.magic), at + 1);
    }
  }
  throw new SetupError(`no compressed ELF kernel found inside ${bzImage}`);
}

/** Shared libraries a binary needs (resolved on this machine, `extra` searched first). */
function sharedLibs(bin: string, extra: string): { path: string; name: string }[] {
  const out = must('ldd', [bin], `listing the libraries of ${basename(bin)}`, { env: { ...process.env, LD_LIBRARY_PATH: extra } });
  const libs: { path: string; name: string }[] = [];
  for (const line of out.split('\n')) {
    const so = /^\s*(\S+)\s+=>\s+(\/\S+)/.exec(line);
    if (so) libs.push({ name: so[1] as string, path: so[2] as string });
    const interp = /^\s*(\/\S*ld-linux\S*)\s+\(/.exec(line);
    if (interp) libs.push({ name: interp[1] as string, path: interp[1] as string });
    if (/not found/.test(line)) throw new SetupError(`${basename(bin)} needs a library that is not available: ${line.trim()}`);
  }
  return libs;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Runs the setup; returns the manifest of the complete cache. */
export function setupGuest(opts: SetupOptions): GuestManifest {
  const t0 = performance.now();
  const log = opts.log;
  const dir = cacheDir();
  const step = (s: string): void => log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}`);

  if (!opts.force) {
    const have = readManifest(dir);
    if (have.ok && (!opts.kernel || have.manifest.kernel === opts.kernel) && (!opts.initrd || have.manifest.initrd === opts.initrd) && (!opts.qemu || have.manifest.qemu === opts.qemu)) {
      step(`guest cache is complete (${dir}): kernel ${have.manifest.abi}, QEMU ${have.manifest.qemuVersion}, gpiod ${have.manifest.gpiodVersion}`);
      return have.manifest;
    }
  }

  if (process.platform !== 'linux' || process.arch !== 'x64') throw new SetupError(`the guest build needs Linux on x86-64 (this is ${process.platform}/${process.arch})`);
  const os = osRelease();
  const family = `${os['ID'] ?? ''} ${os['ID_LIKE'] ?? ''}`;
  const needApt = !(opts.kernel && opts.initrd && opts.qemu);
  if (needApt) {
    if (!/\bdebian\b/.test(family)) {
      throw new SetupError(
        `the guest is built from Debian packages, but this is ${os['PRETTY_NAME'] ?? 'not a Debian system'}; give --kernel, --initrd and --qemu to use your own`,
      );
    }
    if (os['ID'] !== 'debian' || os['VERSION_CODENAME'] !== 'bookworm') {
      log(`note: tested on Debian 12 (bookworm); this is ${os['PRETTY_NAME'] ?? os['ID']}: package names may differ`);
    }
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new SetupError('the guest setup installs Debian packages (linux-headers, build tools, QEMU libraries): run it as root, e.g. `sudo npx vgpio guest --setup`');
    }
  }

  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const work = join(dir, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const debs = join(work, 'debs');
  mkdirSync(debs);

  let abi = 'custom';
  let kernelPath = opts.kernel ?? '';
  let initrdPath = opts.initrd ?? '';
  let qemuPath = opts.qemu ?? '';
  let qemuData = '/usr/share/qemu';
  let qemuModules = '';
  let gpiodVersion = 'custom';

  if (needApt) {
    step('checking apt sources (bookworm-backports)');
    ensureBackports(log);
    abi = resolveAbi();
    step(`kernel ABI: ${abi} (from linux-image-amd64)`);
    const [kmaj, kmin] = abi.split('.');
    const srcPkg = `linux-source-${kmaj}.${kmin}`;
    const gpiodV = candidate('gpiod', BACKPORTS);
    if (!gpiodV || !gpiodV.startsWith('2.')) throw new SetupError(`gpiod 2.x is not available from ${BACKPORTS} (apt-cache policy gpiod)`);
    gpiodVersion = gpiodV;
    const qemuV = opts.qemu ? null : candidate('qemu-system-x86', BACKPORTS);
    if (!opts.qemu && (!qemuV || !qemuPassesIrq(qemuV.replace(/^\d+:/, '')))) {
      throw new SetupError(`QEMU >= 9 is not available from ${BACKPORTS} (apt-cache policy qemu-system-x86 shows ${qemuV ?? 'none'})`);
    }

    // Build tools and the exact headers; QEMU's shared libraries (all from bookworm itself).
    const install = ['make', 'gcc', 'xz-utils', `linux-headers-${abi}`];
    if (!opts.qemu) {
      const show = must('apt-cache', ['show', `qemu-system-x86=${qemuV as string}`], 'reading the QEMU package');
      const dep = /^Depends:\s*(.*)$/m.exec(show)?.[1] ?? '';
      for (const d of dep.split(',')) {
        const name = d.trim().split(/[\s|(]/)[0] as string;
        if (name && !/^(qemu-|seabios|ipxe)/.test(name)) install.push(name);
      }
    }
    const status = run('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...install]).stdout;
    const installed = new Set(status.split('\n').filter((l) => l.endsWith(' install ok installed')).map((l) => l.split(' ')[0]));
    const missing = install.filter((p) => !installed.has(p));
    if (missing.length > 0) {
      step(`apt-get install ${missing.join(' ')}`);
      must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], 'installing packages', {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } else {
      step('build tools, linux-headers and QEMU libraries already installed');
    }

    const want = [`linux-image-${abi}`, 'busybox-static', `gpiod/${BACKPORTS}`, `libgpiod3/${BACKPORTS}`];
    if (!opts.kernel || !opts.initrd) want.push(srcPkg);
    if (!opts.qemu) want.push(...['qemu-system-x86', 'qemu-system-data', 'qemu-system-common'].map((p) => `${p}/${BACKPORTS}`));
    step(`apt-get download ${want.join(' ')}`);
    must('apt-get', ['download', '-q', ...want], 'downloading packages', { cwd: debs });
    chmodSync(debs, 0o755);

    const unpack = (pkg: string, into: string): void => {
      mkdirSync(into, { recursive: true });
      must('dpkg', ['-x', debName(debs, pkg), into], `unpacking ${pkg}`);
    };

    // Kernel and modules.
    const kroot = join(work, 'kernel');
    step(`unpacking the kernel, its config and the virtio modules from linux-image-${abi}`);
    mkdirSync(kroot, { recursive: true });
    const members = [`./boot/vmlinuz-${abi}`, `./boot/config-${abi}`, ...VIRTIO_MODULES.map((m) => `./lib/modules/${abi}/kernel/drivers/virtio/${m}.ko`)];
    must(
      'bash',
      ['-c', `set -o pipefail; dpkg-deb --fsys-tarfile "$0" | tar -xf - -C "$1" "\${@:2}"`, debName(debs, `linux-image-${abi}`), kroot, ...members],
      `unpacking linux-image-${abi}`,
    );
    if (!opts.kernel) {
      step('extracting the uncompressed vmlinux from the bzImage');
      extractVmlinux(join(kroot, 'boot', `vmlinuz-${abi}`), join(work, 'vmlinux'));
      renameSync(join(work, 'vmlinux'), join(dir, 'vmlinux'));
      kernelPath = join(dir, 'vmlinux');
      const cfg = readFileSync(join(kroot, 'boot', `config-${abi}`), 'utf8');
      for (const opt of ['CONFIG_PVH=y', 'CONFIG_GPIOLIB=y', 'CONFIG_GPIOLIB_IRQCHIP=y']) {
        if (!cfg.includes(`\n${opt}`)) throw new SetupError(`kernel ${abi} lacks ${opt}: the driver cannot be built or booted this way`);
      }
    }

    if (!opts.initrd) {
      // The driver, out of tree: only drivers/gpio/gpio-virtio.c is taken from the source tarball.
      step(`extracting drivers/gpio/gpio-virtio.c from ${srcPkg}`);
      const mod = join(work, 'module');
      mkdirSync(mod);
      // Streamed: the package's tarball is never written out, only the one source file.
      must(
        'bash',
        ['-c', 'set -o pipefail; dpkg-deb --fsys-tarfile "$0" | tar -xOf - "./usr/src/$2.tar.xz" | tar -xJf - -C "$1" --strip-components=3 "$2/drivers/gpio/gpio-virtio.c"', debName(debs, srcPkg), mod, srcPkg],
        'extracting gpio-virtio.c',
      );
      if (!existsSync(join(mod, 'gpio-virtio.c'))) throw new SetupError(`${srcPkg} did not contain drivers/gpio/gpio-virtio.c`);
      writeFileSync(join(mod, 'Makefile'), 'obj-m := gpio-virtio.o\n');
      step(`building gpio-virtio.ko against linux-headers-${abi}`);
      const headers = `/usr/src/linux-headers-${abi}`;
      if (!existsSync(headers)) throw new SetupError(`${headers} is missing after installing linux-headers-${abi}`);
      must('make', ['-C', headers, `M=${mod}`, 'modules'], 'building gpio-virtio.ko');

      step('unpacking busybox-static and gpiod');
      const uroot = join(work, 'user');
      for (const p of ['busybox-static', 'gpiod', 'libgpiod3']) unpack(p, uroot);

      step('writing the initramfs');
      const entries: CpioEntry[] = [];
      for (const d of ['bin', 'usr', 'usr/bin', 'lib', 'lib64', 'lib/modules', 'lib/x86_64-linux-gnu', 'proc', 'sys', 'dev', 'tmp', 'vgpio']) entries.push({ kind: 'dir', path: d });
      entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 });
      entries.push({ kind: 'chardev', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });
      entries.push({ kind: 'file', path: 'init', data: new TextEncoder().encode(INIT_SCRIPT), mode: 0o755 });
      entries.push({ kind: 'file', path: 'bin/busybox', data: readFileSync(join(uroot, 'bin', 'busybox')), mode: 0o755 });
      const libs = new Map<string, string>();
      const libDir = join(uroot, 'usr', 'lib', 'x86_64-linux-gnu');
      for (const t of GPIOD_TOOLS) {
        const bin = join(uroot, 'usr', 'bin', t);
        entries.push({ kind: 'file', path: `usr/bin/${t}`, data: readFileSync(bin), mode: 0o755 });
        for (const l of sharedLibs(bin, libDir)) libs.set(l.name.startsWith('/') ? l.name.slice(1) : `lib/x86_64-linux-gnu/${l.name}`, l.path);
      }
      for (const [to, from] of libs) entries.push({ kind: 'file', path: to, data: readFileSync(from), mode: 0o755 });
      const kmods = join(kroot, 'lib', 'modules', abi, 'kernel', 'drivers', 'virtio');
      for (const m of VIRTIO_MODULES) {
        const f = join(kmods, `${m}.ko`);
        if (!existsSync(f)) throw new SetupError(`${f} is missing from linux-image-${abi}`);
        entries.push({ kind: 'file', path: `lib/modules/${m}.ko`, data: readFileSync(f) });
      }
      entries.push({ kind: 'file', path: 'lib/modules/gpio-virtio.ko', data: readFileSync(join(mod, 'gpio-virtio.ko')) });
      const cpio = gzipSync(cpioNewc(entries), { level: 6 });
      writeFileSync(join(dir, 'initrd.cpio.gz'), cpio);
      initrdPath = join(dir, 'initrd.cpio.gz');
      step(`initramfs: ${mb(cpio.length)} (busybox, ${GPIOD_TOOLS.length} gpiod ${gpiodVersion} tools, ${libs.size} libraries, ${VIRTIO_MODULES.length + 1} modules)`);
    }

    if (!opts.qemu) {
      step('unpacking QEMU from bookworm-backports');
      const q = join(dir, 'qemu');
      rmSync(q, { recursive: true, force: true });
      for (const p of ['qemu-system-x86', 'qemu-system-data', 'qemu-system-common']) unpack(p, q);
      qemuPath = join(q, 'usr', 'bin', 'qemu-system-x86_64');
      qemuData = join(q, 'usr', 'share', 'qemu');
      const mods = join(q, 'usr', 'lib', 'x86_64-linux-gnu', 'qemu');
      qemuModules = existsSync(mods) ? mods : '';
    }
  } else {
    step('using the given --kernel, --initrd and --qemu');
  }

  for (const [what, p] of [
    ['kernel', kernelPath],
    ['initrd', initrdPath],
    ['qemu', qemuPath],
  ] as const) {
    if (!existsSync(p)) throw new SetupError(`--${what} ${p}: no such file`);
  }
  if (opts.qemu) {
    // A given QEMU brings its own firmware directory next to it, or the system's.
    for (const cand of [join(opts.qemu, '..', '..', 'share', 'qemu'), '/usr/share/qemu']) {
      if (existsSync(join(cand, 'qboot.rom'))) {
        qemuData = cand;
        break;
      }
    }
  }
  const qv = run(qemuPath, ['--version'], { env: { ...process.env, ...(qemuModules ? { QEMU_MODULE_DIR: qemuModules } : {}) } });
  if (qv.status !== 0) throw new SetupError(`${qemuPath} --version failed:\n${qv.stderr.trim()}`);
  const qemuVersion = /version\s+(\d+\.\d+\.\d+)/.exec(qv.stdout)?.[1] ?? 'unknown';
  step(`QEMU ${qemuVersion}${qemuPassesIrq(qemuVersion) ? '' : ' (< 9.0: the guest will not see VIRTIO_GPIO_F_IRQ)'}`);
  if (!existsSync(join(qemuData, 'qboot.rom'))) throw new SetupError(`qboot.rom not found in ${qemuData}`);

  rmSync(work, { recursive: true, force: true });
  const manifest: GuestManifest = {
    version: MANIFEST_VERSION,
    abi,
    kernel: kernelPath,
    initrd: initrdPath,
    qemu: qemuPath,
    qemuData,
    qemuModules,
    qemuVersion,
    gpiodVersion,
    builtAt: new Date().toISOString(),
    setupSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  writeFileSync(manifestPath(dir), JSON.stringify(manifest, null, 2) + '\n');
  const owner = sudoUser();
  if (owner && !process.env['VGPIO_GUEST_CACHE']) {
    // ~/.cache/vgpio-lab and, when this run created it, ~/.cache itself.
    const top = join(owner.home, '.cache');
    must('chown', ['-R', `${owner.uid}:${owner.gid}`, join(top, 'vgpio-lab')], `giving the cache to ${owner.name}`);
    if (lstatSync(top).uid === 0) must('chown', [`${owner.uid}:${owner.gid}`, top], `giving ${top} to ${owner.name}`);
  }
  let size = 0;
  const du = (p: string): void => {
    const s = lstatSync(p, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isDirectory()) for (const f of readdirSync(p)) du(join(p, f));
    else if (s.isFile()) size += s.size;
  };
  du(dir);
  step(`guest ready in ${dir} (${mb(size)})`);
  return manifest;
}
