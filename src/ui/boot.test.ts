import { describe, expect, test } from 'vitest';
import { initialSource } from './boot';

describe('initialSource: what the page opens from its address', () => {
  test.each(['#scenario=%', '#scenario=%zz', '#scenario=%E0%A4%A', '#scenario=%uD800'])('malformed percent-encoding (%s) never throws: the id goes to the worker as written', (hash) => {
    expect(initialSource(hash)).toEqual({ kind: 'library', id: hash.slice('#scenario='.length) });
  });

  test('a well-formed id is decoded; a link and an empty hash are recognised', () => {
    expect(initialSource('#scenario=level-timer-v1.2')).toEqual({ kind: 'library', id: 'level-timer-v1.2' });
    expect(initialSource('#scenario=a%20b')).toEqual({ kind: 'library', id: 'a b' });
    expect(initialSource('#s1.abc')).toEqual({ kind: 'link', link: 's1.abc' });
    expect(initialSource('')).toEqual({ kind: 'library', id: 'calm-board' });
  });

  test('view fields after the source do not change what loads', () => {
    expect(initialSource('#s1.abc&t=1550000&sel=12&tab=compare')).toEqual({ kind: 'link', link: 's1.abc' });
    expect(initialSource('#scenario=two-edges-while-away&with=device.preset%3Drust-vmm')).toEqual({ kind: 'library', id: 'two-edges-while-away' });
    expect(initialSource('#t=5')).toEqual({ kind: 'library', id: 'calm-board' });
  });
});
