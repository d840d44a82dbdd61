import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeLink, encodeLink } from './link';
import { parseHash, scenarioHash, viewFields } from './link-view';
import { LIBRARY } from './library/index';

const SCENARIO = LIBRARY.find((e) => e.id === 'two-edges-while-away')!.scenario;

describe('view fields in a page address', () => {
  test('a share link with the view: source, cursor, selected flag, tab and comparison settings', async () => {
    const link = await encodeLink(SCENARIO);
    const hash = `#${link}${viewFields({ t: 1_550_000, sel: 81, tab: 'compare', with: ['device.preset=rust-vmm', 'driver.mask=none-type'] })}`;
    expect(hash).toBe(`#${link}&t=1550000&sel=81&tab=compare&with=device.preset%3Drust-vmm&with=driver.mask%3Dnone-type`);
    expect(parseHash(hash)).toEqual({
      source: { kind: 'link', link },
      view: { t: 1_550_000, sel: 81, tab: 'compare', with: ['device.preset=rust-vmm', 'driver.mask=none-type'] },
      errors: [],
    });
    // The scenario codec reads the payload alone: the same link with or without the fields (the CLI too).
    expect(await decodeLink(`http://localhost:5173/${hash}`)).toEqual({ ok: true, value: SCENARIO });
  });

  test('old links (no fields) and built-in scenarios open as before', () => {
    expect(parseHash('#s1.abc')).toEqual({ source: { kind: 'link', link: 's1.abc' }, view: {}, errors: [] });
    expect(parseHash('#s2.abc')).toEqual({ source: { kind: 'link', link: 's2.abc' }, view: {}, errors: [] });
    expect(parseHash(scenarioHash('mask-by-none-loses-edge'))).toEqual({ source: { kind: 'library', id: 'mask-by-none-loses-edge' }, view: {}, errors: [] });
    expect(parseHash(scenarioHash('calm-board', { t: 0, tab: 'trace' }))).toEqual({ source: { kind: 'library', id: 'calm-board' }, view: { t: 0, tab: 'trace' }, errors: [] });
    expect(parseHash('')).toEqual({ source: null, view: {}, errors: [] });
    expect(parseHash('#lesson=first/2')).toEqual({ source: null, view: {}, errors: [] });
    // Malformed escapes in the id pass as written (the worker refuses the id with a message).
    expect(parseHash('#scenario=%zz').source).toEqual({ kind: 'library', id: '%zz' });
  });

  test('bad fields are dropped with a message naming each; the rest of the view is kept', () => {
    const p = parseHash('#scenario=calm-board&t=-5&sel=1e3&tab=%3Cscript%3E&with=&zoom=3&t=3600000000001&sel=%E0%A4%A&t=12');
    expect(p.source).toEqual({ kind: 'library', id: 'calm-board' });
    expect(p.view).toEqual({ t: 12 });
    expect(p.errors).toEqual([
      'link field "t" ignored: expected a time in whole ns from 0 to 3600000000000, got "-5"',
      'link field "sel" ignored: expected a trace event number, got "1e3"',
      'link field "tab" ignored: expected a panel name such as trace, got "<script>"',
      'link field "with" ignored: expected a setting such as device.preset=rust-vmm of at most 200 characters',
      'link field "zoom" ignored: not a field this vgpio-lab knows (t, sel, tab, with)',
      'link field "t" ignored: expected a time in whole ns from 0 to 3600000000000, got "3600000000001"',
      'link field "sel" ignored: its value is not valid percent-encoding',
    ]);
  });

  test('any text: never a throw, and every view value kept is in range', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const p = parseHash(s);
        if (p.view.t !== undefined) expect(Number.isSafeInteger(p.view.t) && p.view.t >= 0 && p.view.t <= 3_600_000_000_000).toBe(true);
        if (p.view.sel !== undefined) expect(Number.isSafeInteger(p.view.sel) && p.view.sel >= 0).toBe(true);
        for (const e of p.errors) expect(e).not.toMatch(/[\u0000-\u001f]/);
      }),
    );
  });

  test('a view written then read is the same view', () => {
    fc.assert(
      fc.property(
        fc.record({ t: fc.integer({ min: 0, max: 3_600_000_000_000 }), sel: fc.integer({ min: 0, max: 2 ** 40 }), with: fc.array(fc.string({ minLength: 1, maxLength: 200 }), { maxLength: 5 }) }),
        (v) => {
          const view = { t: v.t, sel: v.sel, tab: 'queues', ...(v.with.length ? { with: v.with } : {}) };
          expect(parseHash(scenarioHash('calm-board', view))).toEqual({ source: { kind: 'library', id: 'calm-board' }, view, errors: [] });
        },
      ),
    );
  });
});
