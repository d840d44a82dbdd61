/**
 * The one source of randomness in the core: a seeded sfc32 generator, its state
 * expanded from the 32-bit seed with splitmix32. Integer-only arithmetic, so the
 * same seed gives the same sequence in every JS engine.
 */
export class Prng {
  private _a: number;
  private _b: number;
  private _c: number;
  private _d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this._a = next();
    this._b = next();
    this._c = next();
    this._d = next();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this._a + this._b) >>> 0) + this._d) >>> 0;
    this._d = (this._d + 1) >>> 0;
    this._a = this._b ^ (this._b >>> 9);
    this._b = (this._c + (this._c << 3)) >>> 0;
    this._c = ((this._c << 21) | (this._c >>> 11)) >>> 0;
    this._c = (this._c + t) >>> 0;
    return t;
  }

  /**
   * A uniform integer in [lo, hi]. A fixed range (lo === hi) draws nothing, so
   * adding a constant latency never shifts the random stream of later draws.
   */
  range(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    const span = hi - lo + 1;
    if (span <= 0x1_0000_0000) return lo + Math.floor((this.nextU32() / 0x1_0000_0000) * span);
    // Wide ranges: combine two draws into a 53-bit fraction.
    const frac = (this.nextU32() * 0x20_0000 + (this.nextU32() >>> 11)) / 2 ** 53;
    return lo + Math.floor(frac * span);
  }
}
