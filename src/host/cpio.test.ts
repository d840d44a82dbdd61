import { describe, expect, it } from 'vitest';
import { cpioNewc } from './cpio';

describe('initramfs writer (cpio newc)', () => {
  it('writes 4-byte aligned entries with newc headers and a trailer', () => {
    const a = cpioNewc([
      { kind: 'dir', path: 'vgpio' },
      { kind: 'file', path: 'vgpio/run.sh', data: new TextEncoder().encode('gpiodetect\n'), mode: 0o755 },
      { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    ]);
    const text = new TextDecoder('latin1').decode(a);
    expect(a.length % 4).toBe(0);
    expect(text.startsWith('070701')).toBe(true);
    const heads = [...text.matchAll(/070701([0-9a-f]{8})([0-9a-f]{8})/g)].map((m) => parseInt(m[2] as string, 16).toString(8));
    expect(heads).toEqual(['40755', '100755', '20600', '0']);
    expect(text).toContain('vgpio/run.sh\0');
    expect(text).toContain('gpiodetect\n');
    expect(text).toContain('TRAILER!!!\0');
    // The chardev's rdevmajor / rdevminor fields.
    const dev = text.indexOf('dev/console') - 110;
    expect(text.slice(dev + 78, dev + 94)).toBe('0000000500000001');
  });
});
