import { createWriteStream } from 'node:fs';
import type { ParsedArgs } from './args';
import { checkOutputPath } from './files';
import { loadSource, validateSource } from './source';
import { jsonlChunks, validateScenario, type Machine, type Scenario } from '../sim/index';
import { readManifest, type GuestManifest } from '../host/cache';
import { GUEST_BOARD } from '../host/guest-scenario';
import { koffiAvailable } from '../host/libc';
import { benchScript, formatPercentiles, parseFtrace, percentiles } from '../host/bench';
import { kvmUsable } from '../host/qemu';
import { runGuest, type GuestReport } from '../host/run';
import { distProblem, LiveServer } from '../host/live-server';
import { realtimeInfo } from '../host/live-view';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** --ui without --run: the lines' names, then a watch on every line until Ctrl-C or the timeout. */
export function uiCommands(s: Scenario): string {
  const lines = s.device.lines.map((_, i) => i).join(' ');
  return `gpioinfo -c gpiochip0; gpiomon -c gpiochip0 ${lines}`;
}

/** The built app: $VGPIO_APP_DIR, else dist/ in the working directory, else beside the vgpio-lab checkout this CLI runs from. */
export function findApp(): { ok: true; dir: string } | { ok: false; reason: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  const env = process.env['VGPIO_APP_DIR'];
  if (env) return distProblem(env) ? { ok: false, reason: distProblem(env) as string } : { ok: true, dir: resolve(env) };
  const candidates = [resolve('dist'), resolve(here, '..', 'dist'), resolve(here, '..', '..', 'dist')];
  for (const dir of candidates) if (existsSync(join(dir, 'index.html'))) return { ok: true, dir };
  return { ok: false, reason: distProblem(candidates[0] as string) as string };
}

const out = (s: string): void => void process.stdout.write(s);
const err = (s: string): void => void process.stderr.write(s);

export const DEFAULT_COMMANDS = 'gpiodetect; gpioinfo';
/** The guest did not finish (boot failure, timeout, QEMU died). */
export const EXIT_GUEST_FAILED = 4;

function fmtCounts(c: Record<string, number>): string {
  return Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

export function formatGuestReport(r: GuestReport): string {
  const s = (x: number | null): string => (x === null ? '-' : `${x.toFixed(2)} s`);
  let t = '';
  t += r.output;
  if (r.output && !r.output.endsWith('\n')) t += '\n';
  t += `--- exit status: ${r.status === null ? 'none (the commands did not finish)' : r.status}\n`;
  if (r.failure) t += `--- guest failed: ${r.failure}\n`;
  for (const e of r.guestErrors) t += `--- guest init: ${e}\n`;
  if (r.irqNote) t += `--- ${r.irqNote}\n`;
  t += `QEMU ${r.qemuVersion}; VIRTIO_GPIO_F_IRQ ${r.irqOffered ? 'offered' : 'not offered'}\n`;
  t += `boot: init at ${s(r.boot.initAt)}, /dev/gpiochip0 at ${s(r.boot.chipAt)} (guest uptime); wall ${r.boot.wallChipMs === null ? '-' : `${(r.boot.wallChipMs / 1000).toFixed(2)} s`} to the chip, ${(r.boot.wallTotalMs / 1000).toFixed(2)} s in all\n`;
  t += `vhost-user: ${r.vhostUser.connections} connection(s), ${r.vhostUser.refused} refused; messages: ${fmtCounts(r.vhostUser.messages)}\n`;
  t += `virtio-gpio requests: ${fmtCounts(r.virtio.requests) || 'none'}\n`;
  t += `kicks: requestq ${r.virtio.kicks[0]}, eventq ${r.virtio.kicks[1]}; interrupts: requestq ${r.virtio.interrupts[0]}, eventq ${r.virtio.interrupts[1]}; eventq returns: ${r.virtio.eventValid} VALID, ${r.virtio.eventInvalid} INVALID\n`;
  if (r.violations.length === 0) t += 'spec monitors: no rule broken\n';
  else {
    t += `spec monitors: ${r.mustViolations} MUST violation(s), ${r.violations.length - r.mustViolations} advisory\n`;
    for (const v of r.violations.slice(0, 20)) t += `  ${v.level.toUpperCase()} ${v.rule} (${v.side}, ${v.section}) line ${v.line}: ${v.message}\n`;
  }
  return t;
}

export async function runGuestCommand(args: ParsedArgs, overrides: { kernel?: string; initrd?: string; qemu?: string }): Promise<number> {
  const k = koffiAvailable();
  if (!k.ok) {
    err(`vgpio guest: ${k.reason}\n`);
    return 2;
  }
  let manifest: GuestManifest;
  const have = readManifest();
  if (have.ok) manifest = { ...have.manifest };
  else if (overrides.kernel && overrides.initrd && overrides.qemu) {
    manifest = { version: 1, abi: 'custom', kernel: '', initrd: '', qemu: '', qemuData: '/usr/share/qemu', qemuModules: '', qemuVersion: '0.0.0', gpiodVersion: 'custom', builtAt: '', setupSeconds: 0 };
  } else {
    err(`vgpio guest: ${have.reason}\n`);
    return 2;
  }
  if (overrides.kernel) manifest.kernel = overrides.kernel;
  if (overrides.initrd) manifest.initrd = overrides.initrd;
  if (overrides.qemu) {
    manifest.qemu = overrides.qemu;
    const { spawnSync } = await import('node:child_process');
    const v = spawnSync(overrides.qemu, ['--version']);
    manifest.qemuVersion = /version\s+(\d+\.\d+\.\d+)/.exec(v.stdout?.toString() ?? '')?.[1] ?? '0.0.0';
    manifest.qemuModules = '';
  }

  let scenario: Scenario;
  const ref = args.positional[0];
  if (ref === undefined || ref === 'guest-board') {
    const v = validateScenario(GUEST_BOARD);
    if (!v.ok) throw new Error(`built-in guest board: ${v.error}`);
    scenario = v.value;
  } else {
    const src = await loadSource(ref);
    if (!src.ok) {
      err(`vgpio guest: ${src.error}\n`);
      return 2;
    }
    const v = validateSource(src.value);
    if (!v.ok) {
      err(`vgpio guest: ${v.error}\n`);
      return 2;
    }
    scenario = v.value;
  }
  const tracePath = args.values.get('--trace');
  if (tracePath) {
    const problem = checkOutputPath(tracePath);
    if (problem) {
      err(`vgpio guest: ${problem}\n`);
      return 2;
    }
  }
  const ui = args.switches.has('--ui');
  const timeoutS = Number(args.values.get('--timeout') ?? (ui ? '3600' : '120'));
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    err('vgpio guest: --timeout expects seconds > 0\n');
    return 2;
  }
  const verbose = args.switches.has('--verbose');
  const bench = args.switches.has('--bench');
  if (bench && args.values.has('--run')) {
    err('vgpio guest: --bench runs its own commands; leave out --run\n');
    return 2;
  }
  if (bench && ui) {
    err('vgpio guest: --bench and --ui do not go together\n');
    return 2;
  }
  let distDir = '';
  if (ui) {
    const found = findApp();
    if (!found.ok) {
      err(`vgpio guest --ui: ${found.reason}\n`);
      return 2;
    }
    distDir = found.dir;
  }
  const commands = bench ? benchScript(300, 2) : (args.values.get('--run') ?? (ui ? uiCommands(scenario) : DEFAULT_COMMANDS));
  const share: number[] = [];
  const shareDone: number[] = [];
  let initialLevels: number[] = [];
  let liveServer: LiveServer | null = null;
  const consoleLine = (l: string): void => {
    if (verbose) err(`console: ${l}\n`);
    liveServer?.console(l + '\n');
  };
  const { report, rt } = await runGuest({
    manifest,
    scenario,
    commands,
    timeoutMs: timeoutS * 1000,
    onDevice: (dev) => {
      initialLevels = Array.from(dev.wire.level);
      if (!bench) return;
      dev.onKickDone = (q, seen, called, done) => {
        if (q !== 0) return;
        if (called >= 0) share.push((called - seen) / 1000);
        shareDone.push((done - seen) / 1000);
      };
    },
    traceCapacity: tracePath ? 2_000_000 : 200_000,
    verbose: verbose || ui ? consoleLine : undefined,
    log: verbose ? (s) => err(`vhost-user: ${s}\n`) : undefined,
    beforeBoot: ui
      ? async (rt) => {
          liveServer = new LiveServer({ distDir, rt, info: realtimeInfo(scenario, [...rt.wire.level], commands), log: verbose ? (s) => err(`${s}\n`) : undefined });
          await liveServer.listen();
          err(`vgpio guest --ui: open ${liveServer.url}\n(a live recording of the real guest; it ends when the commands finish, or with Ctrl-C)\n`);
        }
      : undefined,
  }).finally(() => (liveServer as LiveServer | null)?.close());
  if (tracePath) {
    const machineLike = { trace: rt.trace, cfg: { seed: scenario.seed }, now: rt.now } as unknown as Machine;
    const ws = createWriteStream(tracePath);
    for (const chunk of jsonlChunks(machineLike, {
      title: `${scenario.title} (real guest: ${commands})`,
      seed: scenario.seed,
      source: 'real-guest',
      lines: scenario.device.lines.map((l) => ({ name: l.name, direction: l.direction })),
      initialLevels,
    })) ws.write(chunk);
    await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
  if (bench) {
    const ft = parseFtrace(report.output);
    const result = {
      qemu: report.qemuVersion,
      boot: report.boot,
      getValueUs: percentiles(ft.get),
      setValueUs: percentiles(ft.set),
      backendShareUs: percentiles(share),
      backendDoneUs: percentiles(shareDone),
      requests: report.virtio.requests,
      mustViolations: report.mustViolations,
      failure: report.failure,
    };
    if (args.switches.has('--json')) out(JSON.stringify(result) + '\n');
    else {
      out(`guest-measured request round trip (ftrace function_graph, QEMU ${report.qemuVersion}, ${kvmUsable() ? 'KVM' : 'TCG'}):\n`);
      out(formatPercentiles('  GET_VALUE (virtio_gpio_get)', result.getValueUs));
      out(formatPercentiles('  SET_VALUE (virtio_gpio_set)', result.setValueUs));
      out(`back end's own share per requestq kick (kick seen -> call eventfd written):\n`);
      out(formatPercentiles('  back end', result.backendShareUs));
      out(formatPercentiles('  to the end of the kick (write(2) returned, device idle)', result.backendDoneUs));
      if (report.failure) out(`guest failed: ${report.failure}\n`);
    }
    if (report.mustViolations > 0) return 1;
    return report.failure ? EXIT_GUEST_FAILED : 0;
  }
  if (args.switches.has('--json')) out(JSON.stringify(report) + '\n');
  else out(formatGuestReport(report));
  if (report.mustViolations > 0) return 1;
  if (report.failure || report.status === null) return EXIT_GUEST_FAILED;
  return report.status;
}
