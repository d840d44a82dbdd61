/**
 * Guest RAM: one ArrayBuffer behind a little-endian DataView. Everything the
 * driver and device exchange (descriptor tables, rings, request and response
 * structs) lives here at real addresses, and both sides read it back as bytes.
 */
export class GuestMemory {
  readonly buffer: ArrayBuffer;
  readonly view: DataView;
  readonly bytes: Uint8Array;
  private _brk: number;

  /**
   * `base` leaves a null page so that address 0 is never a valid buffer. Given an
   * ArrayBuffer instead of a size, the memory is that buffer (the real-guest host
   * passes guest RAM mapped from QEMU, where offset == guest-physical address).
   */
  constructor(size: number | ArrayBuffer, base = 0x1000) {
    this.buffer = typeof size === 'number' ? new ArrayBuffer(size) : size;
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
    this._brk = base;
  }

  get size(): number {
    return this.bytes.length;
  }

  /** Bump allocation for the driver's long-lived buffers; zero-filled. */
  alloc(size: number, align = 8): number {
    const addr = (this._brk + align - 1) & ~(align - 1);
    if (addr + size > this.bytes.length) throw new RangeError(`guest memory exhausted (${size} bytes at ${addr})`);
    this._brk = addr + size;
    return addr;
  }

  /** True when [addr, addr+len) lies inside guest RAM; the device checks every descriptor with it. */
  contains(addr: number, len: number): boolean {
    return addr >= 0 && len >= 0 && addr + len <= this.bytes.length;
  }

  u8(addr: number): number {
    return this.view.getUint8(addr);
  }
  le16(addr: number): number {
    return this.view.getUint16(addr, true);
  }
  le32(addr: number): number {
    return this.view.getUint32(addr, true);
  }
  /** A 64-bit guest address; returns -1 when it does not fit below 2^32 (never inside our RAM). */
  le64addr(addr: number): number {
    const lo = this.view.getUint32(addr, true);
    const hi = this.view.getUint32(addr + 4, true);
    return hi === 0 ? lo : -1;
  }

  setU8(addr: number, v: number): void {
    this.view.setUint8(addr, v);
  }
  setLe16(addr: number, v: number): void {
    this.view.setUint16(addr, v, true);
  }
  setLe32(addr: number, v: number): void {
    this.view.setUint32(addr, v, true);
  }
  setLe64(addr: number, v: number): void {
    this.view.setUint32(addr, v >>> 0, true);
    this.view.setUint32(addr + 4, Math.floor(v / 0x1_0000_0000) >>> 0, true);
  }
}
