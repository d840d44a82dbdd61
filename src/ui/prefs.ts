import { SPEEDS, type Speed } from '../worker/protocol';

/**
 * The viewer's preferences kept across reloads: theme and run speed, in
 * localStorage under a versioned key. What is stored is read as untrusted:
 * anything unparsable, of an older shape or out of range is ignored (the
 * default applies), never thrown.
 */
export type Theme = 'light' | 'dark';

export interface Prefs {
  theme?: Theme;
  speed?: Speed;
}

/** Bump the version when the stored shape changes: older data is then ignored. */
export const PREFS_KEY = 'vgpio-lab:prefs:v1';

/** The part of Storage used here (so tests can pass a Map-backed stand-in). */
export type PrefsStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** localStorage, or null where there is none or it is refused (private mode, sandboxed frames). */
function browserStorage(): PrefsStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The valid fields of a stored value; the rest dropped. */
export function parsePrefs(raw: string | null): Prefs {
  if (raw === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const o = json as Record<string, unknown>;
  const out: Prefs = {};
  if (o['theme'] === 'light' || o['theme'] === 'dark') out.theme = o['theme'];
  const speed = SPEEDS.find((s) => s === o['speed']);
  if (speed !== undefined) out.speed = speed;
  return out;
}

export function loadPrefs(storage: PrefsStorage | null = browserStorage()): Prefs {
  try {
    return parsePrefs(storage?.getItem(PREFS_KEY) ?? null);
  } catch {
    return {};
  }
}

/** Merges `patch` into the stored preferences (a full or refused storage is not an error). */
export function savePrefs(patch: Prefs, storage: PrefsStorage | null = browserStorage()): void {
  if (!storage) return;
  try {
    storage.setItem(PREFS_KEY, JSON.stringify({ ...loadPrefs(storage), ...patch }));
  } catch {
    // Quota exceeded or storage refused: the preference lasts for this page only.
  }
}
