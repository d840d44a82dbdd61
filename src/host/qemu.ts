import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpioNewc } from './cpio';
import { MARK, runScript } from './init-script';

/**
 * Starts QEMU with the cached guest and the vhost-user-gpio front end on our
 * socket, feeds the commands in as a second initramfs archive, and reads the
 * serial console until the guest's init reports the end. The guest powers
 * itself off; QEMU is killed if it does not, if this process exits, or on a
 * timeout, so no QEMU outlives a run.
 */
export interface GuestFiles {
  kernel: string;
  initrd: string;
  qemu: string;
  qemuData: string;
  qemuModules: string;
}

export interface GuestRunResult {
  /** What the commands printed (between the begin and exit markers). */
  output: string;
  /** The commands' exit status; null when they never finished. */
  status: number | null;
  /** Guest uptime (s) at init start, at /dev/gpiochip0, at the end. */
  bootAt: number | null;
  readyAt: number | null;
  endAt: number | null;
  /** Wall-clock ms from starting QEMU to the ready marker and to QEMU's exit. */
  wallReadyMs: number | null;
  wallTotalMs: number;
  /** Problems the guest's init reported (module load, no chip). */
  errors: string[];
  /** Why the run did not end normally, or null. */
  failure: string | null;
  /** The whole console (for --verbose and diagnostics). */
  console: string;
}

const live = new Set<ChildProcess>();
let hooked = false;
function killAll(): void {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

export function qemuArgs(files: GuestFiles, socket: string, initrd: string, opts: { memMiB: number; kvm: boolean; reconnectMs?: number }): string[] {
  return [
    '-L', files.qemuData,
    '-bios', join(files.qemuData, 'qboot.rom'),
    '-accel', opts.kvm ? 'kvm' : 'tcg',
    '-cpu', opts.kvm ? 'host' : 'max',
    '-smp', '1',
    '-m', `${opts.memMiB}M`,
    '-object', `memory-backend-memfd,id=mem,size=${opts.memMiB}M,share=on`,
    '-machine', 'pc,memory-backend=mem',
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-serial', 'stdio',
    // reconnect-ms (QEMU >= 9.2; `reconnect=` in seconds before): QEMU redials a back end that went away.
    '-chardev', `socket,id=vgpio,path=${socket}${opts.reconnectMs ? `,reconnect-ms=${opts.reconnectMs}` : ''}`,
    '-device', 'vhost-user-gpio-pci,chardev=vgpio,id=gpio0',
    '-kernel', files.kernel,
    '-initrd', initrd,
    '-append', 'console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init',
  ];
}

let wrapper: string | null | undefined;
/** util-linux setpriv, when present: it sets PR_SET_PDEATHSIG before exec'ing QEMU. */
export function deathWrapper(): string | null {
  if (wrapper !== undefined) return wrapper;
  wrapper = null;
  for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) {
    if (existsSync(p)) {
      wrapper = p;
      break;
    }
  }
  return wrapper;
}

/** True only where the CPU can virtualize (KVM hangs on these machines without vmx/svm). */
export function kvmUsable(): boolean {
  try {
    return /\b(vmx|svm)\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** The base initramfs with a second archive holding /vgpio/run.sh appended. */
export function writeRunInitrd(base: string, dir: string, commands: string): string {
  const extra = cpioNewc([
    { kind: 'dir', path: 'vgpio' },
    { kind: 'file', path: 'vgpio/run.sh', data: new TextEncoder().encode(runScript(commands)), mode: 0o755 },
  ]);
  const b = readFileSync(base);
  // The kernel reads concatenated archives; the gap between them is padded to 4 bytes.
  const pad = (4 - (b.length % 4)) % 4;
  const out = Buffer.concat([b, Buffer.alloc(pad), Buffer.from(extra)]);
  const p = join(dir, 'initrd-run.img');
  writeFileSync(p, out);
  return p;
}

export function runQemu(
  files: GuestFiles,
  socket: string,
  initrd: string,
  opts: { timeoutMs: number; memMiB?: number; reconnectMs?: number; onLine?: (line: string) => void; onReady?: () => void },
): { done: Promise<GuestRunResult>; kill: () => void } {
  hookExit();
  const t0 = performance.now();
  const env = { ...process.env, ...(files.qemuModules ? { QEMU_MODULE_DIR: files.qemuModules } : {}) };
  const args = qemuArgs(files, socket, initrd, { memMiB: opts.memMiB ?? 256, kvm: kvmUsable(), reconnectMs: opts.reconnectMs });
  // setpriv --pdeathsig: the kernel kills QEMU if this process dies in any way (even SIGKILL).
  const wrap = deathWrapper();
  const child = spawn(wrap ? wrap : files.qemu, wrap ? ['--pdeathsig', 'KILL', '--', files.qemu, ...args] : args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  live.add(child);
  const res: GuestRunResult = {
    output: '',
    status: null,
    bootAt: null,
    readyAt: null,
    endAt: null,
    wallReadyMs: null,
    wallTotalMs: 0,
    errors: [],
    failure: null,
    console: '',
  };
  let inBody = false;
  let partial = '';
  let stderr = '';
  const onText = (text: string): void => {
    res.console += text;
    partial += text.replace(/\r/g, '');
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      opts.onLine?.(line);
      const at = line.indexOf(MARK);
      if (at < 0) {
        if (inBody) res.output += line + '\n';
        continue;
      }
      const [word, ...rest] = line.slice(at + MARK.length).trim().split(' ');
      const arg = rest.join(' ');
      switch (word) {
        case 'boot':
          res.bootAt = Number(arg);
          break;
        case 'ready':
          res.readyAt = Number(arg);
          res.wallReadyMs = performance.now() - t0;
          opts.onReady?.();
          break;
        case 'error':
          res.errors.push(arg);
          break;
        case 'begin':
          inBody = true;
          break;
        case 'exit':
          inBody = false;
          res.status = Number(arg);
          break;
        case 'end':
          res.endAt = Number(arg);
          break;
      }
    }
  };
  child.stdout?.on('data', (d: Buffer) => onText(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  let timer: NodeJS.Timeout | null = setTimeout(() => {
    res.failure = `timed out after ${opts.timeoutMs / 1000} s`;
    child.kill('SIGKILL');
  }, opts.timeoutMs);
  const done = new Promise<GuestRunResult>((resolve) => {
    child.on('error', (e) => {
      res.failure = `cannot start QEMU: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      timer = null;
      res.wallTotalMs = performance.now() - t0;
      if (!res.failure && res.endAt === null) {
        res.failure = `QEMU exited (${signal ?? `status ${code}`}) before the guest finished${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`;
      }
      resolve(res);
    });
  });
  return {
    done,
    kill: () => {
      if (!res.failure) res.failure = 'stopped';
      child.kill('SIGKILL');
    },
  };
}
