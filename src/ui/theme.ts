/**
 * The app's palette lives in CSS variables (styles.css, one set per
 * `data-theme` on <html>). Canvas and terminal code read it here, and follow a
 * theme switch with onThemeChange.
 */
export interface ThemeColors {
  panel: string;
  panel2: string;
  border: string;
  text: string;
  muted: string;
  accent: string;
  high: string;
  low: string;
  ok: string;
  warn: string;
  bad: string;
  focus: string;
  /** The monospace font stack (a font, not a color, but themed the same way). */
  mono: string;
}

/** Each color's CSS variable, and the light theme's value should the variable be missing. */
const VARS: { [K in keyof ThemeColors]: [name: string, fallback: string] } = {
  panel: ['--panel', '#fff'],
  panel2: ['--panel-2', '#eef1f5'],
  border: ['--border', '#d5dae1'],
  text: ['--text', '#1b2430'],
  muted: ['--muted', '#5b6678'],
  accent: ['--accent', '#1d4ed8'],
  high: ['--high', '#0f766e'],
  low: ['--low', '#94a3b8'],
  ok: ['--ok', '#15803d'],
  warn: ['--warn', '#b45309'],
  bad: ['--bad', '#b91c1c'],
  focus: ['--focus', '#f59e0b'],
  mono: ['--mono', 'monospace'],
};

/** The current theme's colors, from the CSS variables on <html>. */
export function readThemeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (key: keyof ThemeColors): string => {
    const [name, fallback] = VARS[key];
    return css.getPropertyValue(name).trim() || fallback;
  };
  return {
    panel: v('panel'),
    panel2: v('panel2'),
    border: v('border'),
    text: v('text'),
    muted: v('muted'),
    accent: v('accent'),
    high: v('high'),
    low: v('low'),
    ok: v('ok'),
    warn: v('warn'),
    bad: v('bad'),
    focus: v('focus'),
    mono: v('mono'),
  };
}

/** Whether the dark theme is on. */
export function isDarkTheme(): boolean {
  return document.documentElement.dataset['theme'] === 'dark';
}

/**
 * Calls `fn` after the theme attribute on <html> changed (App sets it in an
 * effect, after render, so reading the store's theme would be too early for
 * the CSS variables). Returns the unsubscribe.
 */
export function onThemeChange(fn: () => void): () => void {
  const mo = new MutationObserver(() => fn());
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => mo.disconnect();
}
