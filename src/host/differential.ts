import { IRQ_STATUS_VALID, MSG_NAMES, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE, MSG_SET_VALUE } from '../sim/gpio/constants';
import { TK } from '../sim/trace/kinds';
import type { Trace } from '../sim/trace/trace';

/**
 * The differential view of a trace: the requestq messages and eventq
 * operations the device saw between two points, as short strings
 * ("SET_IRQ_TYPE 7 3", "arm 7", "return 7 VALID"), so what the real Linux
 * driver sends for a command can be set beside what the simulated driver
 * sends for the same command in the simulated shell.
 */
export function deviceOps(trace: Trace, from: number, to: number): string[] {
  const out: string[] = [];
  for (let seq = Math.max(from, trace.firstSeq); seq < to; seq++) {
    const e = trace.get(seq);
    if (!e) continue;
    switch (e.kind) {
      case TK.MsgRequest: {
        const name = MSG_NAMES[e.a] ?? `type ${e.a}`;
        const withValue = e.a === MSG_SET_DIRECTION || e.a === MSG_SET_VALUE || e.a === MSG_SET_IRQ_TYPE;
        out.push(withValue ? `${name} ${e.line} ${e.b}` : `${name} ${e.line}`);
        break;
      }
      case TK.EvqArm:
        out.push(`arm ${e.line}`);
        break;
      case TK.EvqReturn:
        out.push(`return ${e.line} ${e.a === IRQ_STATUS_VALID ? 'VALID' : 'INVALID'}`);
        break;
    }
  }
  return out;
}

/**
 * Where the simulated driver (src/sim/guest) is known to differ from the real
 * one, found by running both (src/host/differential.test.ts), applied to the
 * simulated sequence so the comparison checks everything else exactly:
 *
 * 1. Requesting a line: Linux gpiolib reads the line's direction
 *    (gpiod_request_commit calls the chip's get_direction) before the first
 *    message that configures it, so the device sees GET_DIRECTION first.
 * 2. gpiomon's exit: in Linux the threaded handler of the last reported edge
 *    finishes (and the flow handler's unmask re-queues the eventq buffer)
 *    before free_irq returns, so the buffer is armed again when the release
 *    sends SET_IRQ_TYPE NONE, and comes back INVALID. The simulated gpiomon
 *    stops before that re-queue.
 */
export function withKnownDivergences(sim: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const armed = new Set<string>();
  for (const op of sim) {
    const parts = op.split(' ');
    const line = parts[1] as string;
    const isMsg = !op.startsWith('arm ') && !op.startsWith('return ');
    if (isMsg && !seen.has(line) && !op.startsWith('GET_DIRECTION ')) out.push(`GET_DIRECTION ${line}`);
    if (isMsg) seen.add(line);
    if (op.startsWith('arm ')) armed.add(line);
    if (op.startsWith('return ')) armed.delete(line);
    if (op === `SET_IRQ_TYPE ${line} 0` && !armed.has(line)) {
      out.push(`arm ${line}`, op, `return ${line} INVALID`);
      continue;
    }
    out.push(op);
  }
  return out;
}

/**
 * An interrupt session split where timing decides: `setup` up to the first
 * arm, `events` (returns, reads, re-arms: how many depends on when the edges
 * fall), `teardown` from the SET_IRQ_TYPE NONE on. Setup and teardown are
 * compared exactly; events only by shape.
 */
export function splitIrqSession(ops: string[], line: number): { setup: string[]; events: string[]; teardown: string[] } {
  const firstArm = ops.indexOf(`arm ${line}`);
  const none = ops.indexOf(`SET_IRQ_TYPE ${line} 0`);
  if (firstArm < 0 || none < firstArm) return { setup: ops, events: [], teardown: [] };
  // A re-arm right before the NONE belongs to the teardown (the divergence it shows is about exactly that).
  const cut = ops[none - 1] === `arm ${line}` && none - 1 > firstArm ? none - 1 : none;
  return { setup: ops.slice(0, firstArm + 1), events: ops.slice(firstArm + 1, cut), teardown: ops.slice(cut) };
}
