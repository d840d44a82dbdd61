/**
 * The glossary: every term the lessons link with [[term]] markup, and every
 * badge, legend item and column header the app shows, in our own words with
 * the spec section that defines it. Plain data (no validator), so the page
 * can import it. A word with several senses ("masked") has one entry per
 * sense plus a signpost entry that lists them.
 */

export interface GlossaryEntry {
  /** Stable key, lowercase; [[key]] links to it. */
  id: string;
  /** The term as shown. */
  term: string;
  /** One or two plain sentences. */
  text: string;
  /** The virtio spec section (or source) it paraphrases. */
  cite?: string;
  /** Other spellings that resolve to this entry (UI labels, plurals). */
  aliases?: readonly string[];
  /** Related entries (ids). */
  see?: readonly string[];
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  // ---- virtio and virtqueues -----------------------------------------------------------
  { id: 'virtio', term: 'virtio', text: 'A standard for virtual devices: the guest and the device talk through shared memory (virtqueues) and a small configuration space, whatever the hypervisor.', cite: '1' },
  { id: 'virtio-gpio', term: 'virtio-gpio device', text: 'The virtio device (ID 41) that lets a guest use GPIO lines of the host: read and set them, set their direction, and, with F_IRQ, get interrupts from them.', cite: '5.18', aliases: ['gpio device', 'device'] },
  { id: 'config-space', term: 'configuration space', text: 'A small structure the device exposes and the driver reads at start: for virtio-gpio the number of lines (ngpio) and the size of the line-names block (gpio_names_size).', cite: '5.18.4', aliases: ['config space', 'configuration structure'] },
  { id: 'ngpio', term: 'ngpio', text: 'The number of GPIO lines the device offers, read from the configuration space. Lines are numbered 0 to ngpio - 1.', cite: '5.18.4' },
  { id: 'gpio-names-size', term: 'gpio_names_size', text: 'The size in bytes of the block of line names the device returns for GET_LINE_NAMES; zero when the device has no names.', cite: '5.18.4' },
  { id: 'feature-bit', term: 'feature bit', text: 'A capability the device offers and the driver accepts during start-up; only features both sides agree on are used.', cite: '2.2', aliases: ['feature'] },
  { id: 'f-irq', term: 'VIRTIO_GPIO_F_IRQ', text: 'Feature bit 0 of virtio-gpio: the device supports interrupts on its lines. Without it there is no eventq and no SET_IRQ_TYPE.', cite: '5.18.3', aliases: ['f_irq', 'irq feature'], see: ['eventq'] },
  { id: 'virtqueue', term: 'virtqueue', text: 'A queue in guest memory through which the driver hands buffers to the device and gets them back: a descriptor table, an available ring and a used ring.', cite: '2.7', aliases: ['queue', 'virtqueues', 'split virtqueue'], see: ['descriptor', 'avail-ring', 'used-ring'] },
  { id: 'descriptor', term: 'descriptor', text: 'One 16-byte entry of a virtqueue\'s descriptor table: the guest address and length of a buffer, flags (NEXT: the chain goes on; WRITE: the device writes here) and the index of the next descriptor.', cite: '2.7.5', aliases: ['descriptors', 'descriptor table', 'desc'], see: ['chain'] },
  { id: 'chain', term: 'descriptor chain', text: 'Descriptors linked by their next fields that together make one buffer: device-readable parts first, then device-writable ones.', cite: '2.7.4', aliases: ['chain', 'chains'] },
  { id: 'avail-ring', term: 'available ring', text: 'The ring where the driver publishes the heads of chains it offers the device, and an index (idx) that only moves forward.', cite: '2.7.6', aliases: ['avail ring', 'avail', 'available'], see: ['used-ring'] },
  { id: 'used-ring', term: 'used ring', text: 'The ring where the device returns chains it finished with: the head and how many bytes it wrote (the used length).', cite: '2.7.8', aliases: ['used', 'used length'], see: ['avail-ring'] },
  { id: 'kick', term: 'kick', text: 'The driver notifying the device that new buffers are available. The device can ask not to be notified (VIRTQ_USED_F_NO_NOTIFY or event index).', cite: '2.7.13', aliases: ['notify', 'notification', 'kicks'] },
  { id: 'requestq', term: 'requestq', text: 'Queue 0 of virtio-gpio: each message is a request the device reads (type, gpio, value) followed by a response it writes (status, value).', cite: '5.18.2', aliases: ['request queue'] },
  { id: 'eventq', term: 'eventq', text: 'Queue 1 of virtio-gpio, present with F_IRQ: the driver parks one buffer pair per line there, and the device returns it when that line interrupts.', cite: '5.18.2', aliases: ['event queue'], see: ['eventq-buffer-pair'] },
  { id: 'eventq-buffer-pair', term: 'eventq buffer pair', text: 'The two buffers the driver queues on the eventq for one line: a 2-byte request naming the line and a 1-byte response the device fills with VALID or INVALID. At most one pair per line is with the device.', cite: '5.18.7.2', aliases: ['buffer pair', 'eventq buffer', 'buffer'] },
  { id: 'message', term: 'message', text: 'One requestq exchange: GET_LINE_NAMES, GET_DIRECTION, SET_DIRECTION, GET_VALUE, SET_VALUE or SET_IRQ_TYPE.', cite: '5.18.6', aliases: ['messages', 'msg'] },
  { id: 'line-names', term: 'line names', text: 'Optional names for the lines, returned by GET_LINE_NAMES as one NUL-terminated string per line; a non-empty name is unique.', cite: '5.18.6.1', aliases: ['line name', 'get_line_names'] },
  { id: 'direction', term: 'direction', text: 'What a line does: input, output, or none (not in use). SET_DIRECTION NONE makes the device forget the line.', cite: '5.18.6.3', aliases: ['dir', 'directions'] },
  { id: 'value-before-output', term: 'value before output', text: 'The driver sets a line\'s value (SET_VALUE) before switching it to output, so the line never briefly drives a stale level.', cite: '5.18.6.3' },
  { id: 'status', term: 'status', text: 'The first byte of a requestq response: OK or ERR.', cite: '5.18.6', aliases: ['ok', 'err'] },

  // ---- interrupts ---------------------------------------------------------------------
  { id: 'interrupt', term: 'interrupt', text: 'A line telling the guest that something happened on it. In virtio-gpio it arrives as the line\'s eventq buffer coming back VALID.', cite: '5.18.7', aliases: ['interrupts', 'irq'] },
  { id: 'trigger-type', term: 'trigger type', text: 'What makes a line interrupt: a rising edge, a falling edge, both edges, a high level, a low level, or NONE (disabled). Set with SET_IRQ_TYPE.', cite: '5.18.6.6', aliases: ['trigger', 'device type', 'client trigger', 'irq type', 'set_irq_type'] },
  { id: 'edge', term: 'edge', text: 'A change of a line\'s level: rising (0 to 1) or falling (1 to 0). An edge trigger interrupts once per qualifying change.', cite: '5.18.6.6', aliases: ['edges', 'edge trigger', 'rising', 'falling'] },
  { id: 'level', term: 'level', text: 'The state of a line (high or low). A level trigger interrupts while the line is active, however long it stays so. In the lines board: the level on the wire.', cite: '5.18.6.6', aliases: ['level trigger', 'levels'] },
  { id: 'level-vs-edge', term: 'level vs edge', text: 'An edge is an event that happened once and must not be forgotten; a level is a condition that is still there when you look again. Edges need a latch; levels are re-sampled.', cite: '5.18.6.9', see: ['edge', 'level', 'latched', 'resample'] },
  { id: 'none-type', term: 'NONE', text: 'The trigger type that disables a line\'s interrupt. Setting it makes the device return a held eventq buffer INVALID and forget any latched edge.', cite: '5.18.7.3', aliases: ['type none', 'irq type none'] },
  { id: 'enabled', term: 'enabled', text: 'A line\'s interrupt is enabled when its trigger type is not NONE, at the driver and at the device.', cite: '5.18.7.2' },
  { id: 'unmask', term: 'unmask', text: 'Letting a line\'s interrupts through again; in virtio-gpio the driver unmasks by queuing the line\'s eventq buffer.', cite: '5.18.7.2', aliases: ['unmasked', 'unmasking'] },
  { id: 'masked', term: 'masked', text: 'A word with several senses in this app: the driver\'s flag, the device with type NONE, a transport vector, the sink state, and the delivery result. See each.', aliases: ['mask', 'masking'], see: ['masked-flag', 'masked-none', 'masked-vector', 'masked-sink', 'masked-result'] },
  { id: 'masked-flag', term: 'masked (driver flag)', text: 'The guest driver\'s irq_chip flag: the irq core has masked the line while its handler runs. The line\'s eventq buffer is with the driver, so the device latches edges meanwhile.', cite: '5.18.7.2', see: ['masked'] },
  { id: 'masked-none', term: 'masked by NONE (device type)', text: 'Masking by setting the trigger type to NONE, as a literal reading of V8 did. The device then drops edges instead of latching them: they are lost.', cite: '5.18.7.3', see: ['masked'] },
  { id: 'masked-vector', term: 'masked (transport vector)', text: 'An MSI-X-like vector the guest masked: a message sent to it only sets its pending bit until it is unmasked.', see: ['masked'] },
  { id: 'masked-sink', term: 'masked (sink state)', text: 'The sink state a source would see when the interrupt is disabled: its events are dropped, not latched.', cite: '5.18.6.9', see: ['masked', 'sink'] },
  { id: 'masked-result', term: 'masked (delivery result)', text: 'The device dropped an interrupt event: the trigger was NONE, or a level came while the buffer was away (a level is re-sampled, not latched).', cite: '5.18.6.9', see: ['masked', 'delivery-result'] },
  { id: 'armed', term: 'armed', text: 'The device holds the line\'s eventq buffer, so the next qualifying event returns it at once.', cite: '5.18.7.3' },
  { id: 'latched', term: 'latched', text: 'The device remembered an edge that came while the line\'s buffer was with the driver, and reports it the moment the buffer comes back. The spec\'s latch is one flag, not a counter.', cite: '5.18.6.9', aliases: ['latch', 'edge latch'] },
  { id: 'sink', term: 'sink', text: 'The receiving end of an interrupt. Its state (normal, latched or masked) is what a source could learn by asking it, a proposal from the qemu_irq debate (seed 000).', cite: 'seed 000', aliases: ['sink state'] },
  { id: 'normal', term: 'normal (sink state)', text: 'The sink would deliver an event now: nothing latched, not masked.', cite: 'seed 000' },
  { id: 'delivery-result', term: 'delivery result', text: 'What the device did with one interrupt event: delivered (reported or latched), coalesced (landed on a latch already set) or masked (dropped). The lines board shows the last one.', cite: 'seed 000', aliases: ['last', 'delivered (device)'] },
  { id: 'handler', term: 'handler', text: 'The client driver\'s interrupt function the guest runs for each interrupt. A running handler shows as a badge and a bar on the waveform.', aliases: ['handler call', 'handler calls', 'handlers'] },
  { id: 'threaded', term: 'threaded handler', text: 'A handler split in two: a short part in interrupt context and a thread that runs later. With oneshot, the line stays masked until the thread ends.', aliases: ['threaded', 'thread'] },
  { id: 'eoi', term: 'EOI', text: 'End of interrupt: the moment the guest says it is done with an interrupt. In virtio-gpio it is the re-queue of the line\'s eventq buffer.', cite: '5.18.7.1', aliases: ['end of interrupt', 'end-of-interrupt'], see: ['requeue'] },
  { id: 'requeue', term: 're-queue', text: 'The driver putting the line\'s eventq buffer back on the eventq after an interrupt: the end of the interrupt, and the moment a latched edge or a still-active level is reported.', cite: '5.18.7.2', aliases: ['requeue', 're-queues'] },
  { id: 'resample', term: 're-sample', text: 'For a level trigger, the device looks at the line again when the buffer comes back and returns it VALID at once if the line is still active. This re-sample acts as the end-of-interrupt.', cite: '5.18.7.1', aliases: ['resample', 're-samples'] },
  { id: 'valid', term: 'VALID', text: 'The eventq response status meaning "this line interrupted".', cite: '5.18.7.3' },
  { id: 'invalid', term: 'INVALID', text: 'The eventq response status meaning "no interrupt: here is your buffer back", sent when the trigger becomes NONE or a buffer arrives for a disabled line.', cite: '5.18.7.3' },
  { id: 'fasteoi', term: 'fasteoi', text: 'An interrupt flow with no mask while the handler runs, only an end-of-interrupt after it; V8 described its interrupts this way.', cite: '5.18.7' },
  { id: 'v8', term: 'V8', text: 'The eighth revision of the virtio-gpio spec patch (July 2021), whose review by Marc Zyngier and Arnd Bergmann shaped the merged interrupt rules (seed 004).', cite: 'seed 004', aliases: ['v8 review'] },
  { id: 'interrupt-domain', term: 'interrupt domain', text: 'A layer that turns one numbering of interrupts into another: the line number on the gpio chip, the Linux irq number, the transport vector, the host\'s interrupt controller. Domains stack into a hierarchy (seed 003).', cite: 'seed 003', aliases: ['irq domain', 'domain hierarchy', 'route'] },
  { id: 'irq-chip', term: 'irq_chip', text: 'The callbacks Linux calls to mask, unmask, enable, disable and set the type of an interrupt at one layer. The virtio-gpio driver\'s irq_chip only changes flags; its bus-sync step then sends SET_IRQ_TYPE and queues the eventq buffer.', aliases: ['irq chip', 'gpio irq_chip'], see: ['interrupt-domain'] },
  { id: 'livelock', term: 'livelock', text: 'Both sides busy forever without progress, like a buffer bouncing INVALID back and forth between driver and device.' },
  { id: 'rust-vmm', term: 'rust-vmm', text: 'The vhost-device-gpio daemon: a real virtio-gpio device that supports only edge types, counts edges in the host kernel\'s FIFO, and on NONE keeps the buffer (lazy).', cite: 'implementations' },
  { id: 'qemu', term: 'QEMU', text: 'QEMU\'s vhost-user-gpio front end passes the rust-vmm device to a guest; before 9.0 it did not pass F_IRQ on.', cite: 'implementations' },
  { id: 'gpiomon', term: 'gpiomon', text: 'The libgpiod tool that waits for edges on lines and prints each one (rising or falling) with a timestamp.' },
  { id: 'poller', term: 'poller', text: 'A client that reads a line again and again with GET_VALUE instead of waiting for interrupts.' },

  // ---- the transport ---------------------------------------------------------------------
  { id: 'transport', term: 'transport interrupt', text: 'How the device tells the guest that a queue has used buffers: a message per queue vector (MSI-like) or one shared level line with an ISR register (INTx-like).', cite: '4.1.4', aliases: ['transport', 'mode'] },
  { id: 'msi', term: 'MSI-like', text: 'A message-signalled interrupt per vector: each queue gets its own, and a second message while the first is pending merges with it.', cite: '4.1.4.3', aliases: ['msi', 'msi-x', 'vector'] },
  { id: 'intx', term: 'INTx-like', text: 'One shared level-triggered interrupt line plus an ISR register saying why; raising it again while it is up has no effect (seed 002).', cite: '4.1.4.5', aliases: ['intx', 'intx line', 'gsi'] },
  { id: 'isr', term: 'ISR', text: 'The interrupt status register of the INTx-like transport: bit 0 a queue, bit 1 a configuration change. Reading it clears it and lowers the line.', cite: '4.1.4.5' },
  { id: 'raised', term: 'raised', text: 'The device asked for a transport interrupt (once per batch of used buffers it returns).', aliases: ['raise', 'raises'] },

  // ---- the oracle's verdicts ------------------------------------------------------------
  { id: 'oracle', term: 'oracle', text: 'The simulator\'s judge: it compares every handler call with the physical waveform and the trigger the client asked for, and labels each delivered, coalesced, spurious or lost.' },
  { id: 'delivered', term: 'delivered', text: 'A handler call that covered exactly one owed interrupt. In the lines board, "del" counts them.', aliases: ['del'] },
  { id: 'coalesced', term: 'coalesced', text: 'Several owed interrupts served by one handler call (counted as the extra ones); at the device, an edge that landed on a latch already set; at the transport, a raise merged with one still pending.', aliases: ['coal', 'coalescing'] },
  { id: 'spurious', term: 'spurious', text: 'A handler call with nothing new to report: no owed interrupt since the last call.', aliases: ['spur'] },
  { id: 'lost', term: 'lost', text: 'An owed interrupt that no handler call ever covered, judged a settle window after it once the line\'s pipeline is idle.' },
  { id: 'violation', term: 'violation', text: 'A breach of a MUST-level spec rule, recorded by the monitors with the time, the line and the event that shows it.', aliases: ['violations', 'monitor'] },

  // ---- the lines board, the waveform, the trace, the ring inspector ----------------------
  { id: 'index', term: '#', text: 'A row number: the line number in the lines board, the descriptor\'s index in the ring inspector.' },
  { id: 'name', term: 'name', text: 'The line\'s name from the device\'s names block (empty for an unnamed line).', cite: '5.18.6.1' },
  { id: 'drive', term: 'drive', text: 'Change a line\'s level from outside the guest, like a button press or a sensor.' },
  { id: 'state', term: 'state', text: 'The line\'s interrupt state badges: enabled, masked, armed, latched, handler.' },
  { id: 'crowded', term: 'crowded', text: 'More waveform markers than pixels at this zoom: zoom in to tell them apart.' },
  { id: 'trace', term: 'trace', text: 'Every event of the run in order, by category: ring, transport, msg, line, device, driver, handler, check, step.', aliases: ['event', 'time', 'category'] },
  { id: 'cat-ring', term: 'ring (trace category)', text: 'Virtqueue operations: chains added, kicks, chains taken and returned.', aliases: ['ring'] },
  { id: 'cat-line', term: 'line (trace category)', text: 'The wire: level changes and who drove them; in the ring inspector, the line a descriptor serves.', aliases: ['line'] },
  { id: 'cat-device', term: 'device (trace category)', text: 'The device\'s state: interrupt events, trigger types, directions, status.', },
  { id: 'cat-driver', term: 'driver (trace category)', text: 'The guest driver: irq_chip flags, SET_IRQ_TYPE sent, warnings and errors.', aliases: ['driver'] },
  { id: 'cat-check', term: 'check (trace category)', text: 'The oracle\'s labels and the monitors\' violations.', aliases: ['check'] },
  { id: 'cat-step', term: 'step (trace category)', text: 'Timeline steps and shell commands: what was done to the run from outside.', aliases: ['step'] },
  { id: 'addr', term: 'addr', text: 'A descriptor\'s guest-physical buffer address.', cite: '2.7.5' },
  { id: 'len', term: 'len', text: 'A descriptor\'s buffer length in bytes.', cite: '2.7.5' },
  { id: 'flags', term: 'flags', text: 'A descriptor\'s flags: NEXT (the chain continues) and WRITE (the device writes this buffer).', cite: '2.7.5' },
  { id: 'next', term: 'next', text: 'The index of the next descriptor in the chain when NEXT is set.', cite: '2.7.5' },
  { id: 'owner', term: 'owner', text: 'Where a descriptor is now: free, available (offered), with the device, or used (returned, not yet taken back).', aliases: ['free', 'available'] },
  { id: 'device-next-avail', term: 'device next avail', text: 'The next available-ring slot the device will read.', cite: '2.7.6' },
  { id: 'device-next-used', term: 'device next used', text: 'The next used-ring slot the device will write.', cite: '2.7.8' },
  { id: 'driver-last-used', term: 'driver last used', text: 'How far the driver has taken used entries back.', cite: '2.7.8' },
];

const byKey = new Map<string, GlossaryEntry>();
for (const e of GLOSSARY) {
  for (const k of [e.id, e.term, ...(e.aliases ?? [])]) {
    const key = normalize(k);
    if (!byKey.has(key)) byKey.set(key, e);
  }
}

function normalize(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The entry a term, id, UI label or alias names (case-insensitive), or undefined. */
export function glossaryEntry(term: string): GlossaryEntry | undefined {
  return byKey.get(normalize(term));
}

/** One [[term]] or [[term|shown text]] link in lesson text. */
export interface TermLink {
  term: string;
  shown: string;
}

const LINK = /\[\[([^\]|]{1,80})(?:\|([^\]]{1,80}))?\]\]/g;

/** The glossary links in a piece of lesson text, in order. */
export function termLinks(text: string): TermLink[] {
  const out: TermLink[] = [];
  for (const m of text.matchAll(LINK)) out.push({ term: (m[1] as string).trim(), shown: (m[2] ?? m[1] as string).trim() });
  return out;
}

/** Lesson text with the link markup removed: what a plain reader (a terminal) shows. */
export function plainText(text: string): string {
  return text.replace(LINK, (_, term: string, shown?: string) => (shown ?? term).trim());
}
