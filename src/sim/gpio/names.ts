/**
 * The gpio-names block (5.18.6.1): one NUL-terminated 7-bit ASCII string per
 * line in line order, an unnamed line being a single 0 byte.
 */
export function encodeNames(names: readonly string[]): Uint8Array {
  const parts: number[] = [];
  for (const name of names) {
    for (let i = 0; i < name.length; i++) parts.push(name.charCodeAt(i) & 0x7f);
    parts.push(0);
  }
  return Uint8Array.from(parts);
}

/**
 * Splits a names block the way Linux does (virtio_gpio_get_names): force a NUL
 * on the last byte, then take ngpio strings; null when the block is too short.
 */
export function decodeNames(block: Uint8Array, ngpio: number): string[] | null {
  if (block.length === 0) return null;
  const b = block.slice();
  b[b.length - 1] = 0;
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < ngpio; i++) {
    if (pos >= b.length) return null;
    let end = pos;
    while (end < b.length && b[end] !== 0) end++;
    let s = '';
    for (let j = pos; j < end; j++) s += String.fromCharCode(b[j] as number);
    out.push(s);
    pos = end + 1;
  }
  return out;
}
