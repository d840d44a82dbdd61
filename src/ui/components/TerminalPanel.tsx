import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { DisposableStore } from '../disposable';
import { observeResize } from '../dom';
import { onTerminal } from '../live';
import { client } from '../sim-client';
import type { TerminalTestHandle } from '../test-handle';
import { isDarkTheme, onThemeChange, readThemeColors } from '../theme';

/**
 * The guest's shell in an xterm.js terminal. This module (and xterm with it)
 * is loaded lazily, the first time the Terminal tab is opened.
 *
 * The terminal is a dumb screen: the line editor and the shell live in the
 * worker. Keystrokes go to the worker as they are (`onData`), and everything
 * the worker prints (echo, prompt, command output, already sanitized of
 * control characters from user-provided text) comes back through
 * `onTerminal` and is written here verbatim. Nothing else is ever written to
 * the terminal, so no user text can reach it unsanitized.
 *
 * The terminal is unmounted when another tab is chosen; on remount,
 * `onTerminal` replays the recent output (from the last reset on), so the
 * screen comes back as it was.
 */

const WRITTEN_KEPT = 256 * 1024;

/** Colors from the app's CSS variables, so the terminal follows the light / dark theme. */
function themeFromCss(): ITheme {
  const c = readThemeColors();
  const bg = c.panel;
  const fg = c.text;
  const accent = c.accent;
  const dark = isDarkTheme();
  return {
    background: bg,
    foreground: fg,
    cursor: accent,
    cursorAccent: bg,
    // #RRGGBB + alpha: a translucent selection over the text.
    selectionBackground: /^#[0-9a-f]{6}$/i.test(accent) ? `${accent}55` : accent,
    selectionInactiveBackground: /^#[0-9a-f]{6}$/i.test(accent) ? `${accent}33` : accent,
    // The shell prints no colors today; keep the palette readable on both backgrounds anyway.
    black: dark ? '#1d2633' : '#1b2430',
    white: dark ? '#e3e8ef' : '#5b6678',
    brightWhite: dark ? '#ffffff' : '#1b2430',
    red: c.bad,
    green: c.ok,
    yellow: c.warn,
    blue: accent,
    cyan: c.high,
  };
}

/** The terminal's text, for tests: logical lines (soft-wrapped rows joined), blank rows below the cursor dropped. */
function bufferText(term: Terminal): string {
  const buf = term.buffer.active;
  let end = buf.length;
  while (end > buf.baseY + buf.cursorY + 1 && !buf.getLine(end - 1)?.translateToString(true)) end--;
  const lines: string[] = [];
  for (let i = 0; i < end; i++) {
    const row = buf.getLine(i);
    if (!row) continue;
    const s = row.translateToString(true);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += s;
    else lines.push(s);
  }
  return lines.join('\n');
}

export default function TerminalPanel(): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const store = new DisposableStore();
    const term = new Terminal({
      convertEol: true,
      cursorBlink: true,
      scrollback: 5000,
      fontFamily: readThemeColors().mono,
      fontSize: 13,
      screenReaderMode: true,
      theme: themeFromCss(),
    });
    store.add(() => term.dispose());
    const fit = new FitAddon();
    term.loadAddon(fit); // Disposed with the terminal.
    // Tab has no meaning to the guest's line editor (no completion): leave it to the browser, so keyboard users can move on.
    term.attachCustomKeyEventHandler((e) => !(e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey));
    term.open(host);

    let raf = 0;
    const refit = (): void => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
      });
    };
    fit.fit();
    store.add(observeResize(host, refit));
    store.add(() => cancelAnimationFrame(raf));

    // The app's theme is a data attribute on <html> (set by App after render): follow it.
    store.add(onThemeChange(() => (term.options.theme = themeFromCss())));

    // Output from the worker (the backlog first, then every new chunk), and keystrokes to it.
    let written = '';
    store.add(
      onTerminal((text) => {
        written = (written + text).slice(-WRITTEN_KEPT);
        term.write(text);
      }),
    );
    const input = term.onData((data) => client.send({ type: 'terminal', data }));
    store.add(() => input.dispose());

    const handle: TerminalTestHandle = { text: () => bufferText(term), written: () => written };
    window.__vgpioTerminal = handle;
    store.add(() => {
      if (window.__vgpioTerminal === handle) delete window.__vgpioTerminal;
    });

    // Take the focus when the tab opens, unless a keyboard user is moving along the tab list with the arrow keys.
    const active = document.activeElement;
    if (!(active instanceof HTMLElement && active.matches('[role="tab"]:focus-visible'))) term.focus();

    return () => store.dispose();
  }, []);

  return (
    <div className="terminal-panel">
      <div className="panel-head">
        <h2 className="terminal-title" id="terminal-heading">
          Guest shell
        </h2>
        <span className="terminal-hint">type help · Ctrl-C stops a command · Tab leaves the terminal</span>
      </div>
      <div className="terminal-frame">
        <div className="terminal-host" ref={hostRef} role="region" aria-labelledby="terminal-heading" />
      </div>
    </div>
  );
}
