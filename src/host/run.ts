import { qemuPassesIrq, type GuestManifest } from './cache';
import { runQemu, writeRunInitrd, type GuestRunResult } from './qemu';
import { RealtimeDevice } from './realtime';
import { VhostUserServer, type BackendStats } from './server';
import type { Violation } from '../sim/check/monitors';
import type { MachineConfig } from '../sim/machine';
import { resolveScenario } from '../sim/scenario/load';
import type { Scenario } from '../sim/scenario/schema';

/**
 * One real-guest run: the device of a scenario behind the vhost-user back end,
 * QEMU booting the cached guest, the commands run in it, and what everyone saw.
 */
export interface GuestReport {
  scenario: string;
  commands: string;
  output: string;
  status: number | null;
  failure: string | null;
  guestErrors: string[];
  qemuVersion: string;
  irqOffered: boolean;
  irqNote: string | null;
  boot: { initAt: number | null; chipAt: number | null; endAt: number | null; wallChipMs: number | null; wallTotalMs: number };
  vhostUser: BackendStats;
  virtio: { kicks: [number, number]; interrupts: [number, number]; requests: Record<string, number>; eventValid: number; eventInvalid: number; sessions: number };
  mustViolations: number;
  violations: Violation[];
  traceEvents: number;
}

/**
 * QEMU before 9.0 never passes VIRTIO_GPIO_F_IRQ to the guest, so the device
 * does not offer it there: the reason is returned (and printed), and the
 * device model runs without an eventq rather than pretending interrupts work.
 */
export function refuseIrq(cfg: MachineConfig, qemuVersion: string): string | null {
  if (!cfg.device.offerIrq || qemuPassesIrq(qemuVersion)) return null;
  cfg.device = { ...cfg.device, offerIrq: false };
  return `interrupts refused: QEMU ${qemuVersion} is older than 9.0, whose vhost-user-gpio front end never passes VIRTIO_GPIO_F_IRQ to the guest (it can only clear feature bits), so gpiomon would fail with "No such device"; run \`vgpio guest --setup\` for QEMU 10 from bookworm-backports`;
}

/** Boots the guest on the scenario's device, runs the commands, and returns the report (no printing). */
export async function runGuest(opts: {
  manifest: GuestManifest;
  scenario: Scenario;
  commands: string;
  timeoutMs: number;
  traceCapacity?: number;
  verbose?: (line: string) => void;
  log?: (s: string) => void;
  /** Called with the device as soon as it exists (before QEMU starts). */
  onDevice?: (rt: RealtimeDevice) => void;
  /** Awaited with the device after the back end listens and before QEMU starts (the live app's server starts here). */
  beforeBoot?: (rt: RealtimeDevice) => Promise<void>;
  /** Called with the running device once the chip is up in the guest (tests drive lines from here). */
  onReady?: (rt: RealtimeDevice) => void;
}): Promise<{ report: GuestReport; rt: RealtimeDevice; cfg: MachineConfig }> {
  const resolved = resolveScenario(opts.scenario, { traceEnabled: true, traceCapacity: opts.traceCapacity ?? 200_000 });
  if (!resolved.ok) throw new Error(resolved.error);
  const cfg = resolved.value;
  const irqNote = refuseIrq(cfg, opts.manifest.qemuVersion);
  const rt = new RealtimeDevice(cfg);
  opts.onDevice?.(rt);
  const server = new VhostUserServer(rt, opts.log);
  let result: GuestRunResult;
  try {
    await server.listen();
    await opts.beforeBoot?.(rt);
    const initrd = writeRunInitrd(opts.manifest.initrd, server.dir, opts.commands);
    const q = runQemu(
      { kernel: opts.manifest.kernel, initrd: opts.manifest.initrd, qemu: opts.manifest.qemu, qemuData: opts.manifest.qemuData, qemuModules: opts.manifest.qemuModules },
      server.path,
      initrd,
      { timeoutMs: opts.timeoutMs, onLine: opts.verbose, onReady: () => opts.onReady?.(rt) },
    );
    result = await q.done;
  } finally {
    rt.close();
    server.close();
  }
  const report: GuestReport = {
    scenario: opts.scenario.title,
    commands: opts.commands,
    output: result.output,
    status: result.status,
    failure: result.failure,
    guestErrors: result.errors,
    qemuVersion: opts.manifest.qemuVersion,
    irqOffered: cfg.device.offerIrq,
    irqNote,
    boot: { initAt: result.bootAt, chipAt: result.readyAt, endAt: result.endAt, wallChipMs: result.wallReadyMs, wallTotalMs: result.wallTotalMs },
    vhostUser: server.stats,
    virtio: { ...rt.counts },
    mustViolations: rt.mustCount,
    violations: rt.violations,
    traceEvents: rt.trace.total,
  };
  return { report, rt, cfg };
}
