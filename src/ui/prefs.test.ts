import { describe, expect, it } from 'vitest';
import { loadPrefs, parsePrefs, PREFS_KEY, savePrefs, type PrefsStorage } from './prefs';

function memory(initial?: string): PrefsStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(PREFS_KEY, initial);
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('preferences kept across reloads', () => {
  it('keeps the theme and the speed a viewer chose', () => {
    const s = memory();
    savePrefs({ theme: 'dark' }, s);
    savePrefs({ speed: 10 }, s);
    expect(loadPrefs(s)).toEqual({ theme: 'dark', speed: 10 });
    savePrefs({ speed: 'max' }, s);
    expect(loadPrefs(s)).toEqual({ theme: 'dark', speed: 'max' });
  });

  it('ignores corrupt or foreign data instead of throwing', () => {
    expect(parsePrefs('{not json')).toEqual({});
    expect(parsePrefs('null')).toEqual({});
    expect(parsePrefs('[1,2]')).toEqual({});
    expect(parsePrefs('"dark"')).toEqual({});
    expect(parsePrefs(JSON.stringify({ theme: 'purple', speed: 3 }))).toEqual({});
    expect(parsePrefs(JSON.stringify({ theme: 'light', speed: '10' }))).toEqual({ theme: 'light' });
    expect(loadPrefs(memory('\u0000garbage'))).toEqual({});
  });

  it('keeps a valid field when the other is corrupt, and writes over corrupt data', () => {
    const s = memory(JSON.stringify({ theme: 42, speed: 0.1 }));
    expect(loadPrefs(s)).toEqual({ speed: 0.1 });
    savePrefs({ theme: 'light' }, s);
    expect(JSON.parse(s.data.get(PREFS_KEY) ?? '')).toEqual({ speed: 0.1, theme: 'light' });
  });

  it('reads only its own versioned key', () => {
    const s = memory();
    s.data.set('vgpio-lab:prefs:v0', JSON.stringify({ theme: 'dark' }));
    expect(loadPrefs(s)).toEqual({});
  });

  it('survives a storage that refuses access', () => {
    const refusing: PrefsStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadPrefs(refusing)).toEqual({});
    expect(() => savePrefs({ theme: 'dark' }, refusing)).not.toThrow();
    expect(loadPrefs(null)).toEqual({});
  });
});
