import type { Page } from '@playwright/test';
import type { TestHandle } from '../src/ui/test-handle';

/**
 * Reads the app through its test handle (window.__vgpio, typed in
 * src/ui/test-handle.ts) instead of scraping pixels. `fn` runs in the page:
 * it may use only its arguments, and what it returns must be serializable.
 */
export function onApp<R>(page: Page, fn: (h: TestHandle) => R): Promise<R>;
export function onApp<R, Arg>(page: Page, fn: (h: TestHandle, arg: Arg) => R, arg: Arg): Promise<R>;
export async function onApp<R, Arg>(page: Page, fn: (h: TestHandle, arg: Arg) => R, arg?: Arg): Promise<R> {
  const handle = await page.evaluateHandle(() => {
    const h = window.__vgpio;
    if (!h) throw new Error('the app has not started: no window.__vgpio');
    return h;
  });
  try {
    // Playwright types the argument as it arrives in the page (`Unboxed<Arg>`), which for the
    // plain values passed here is Arg itself; TypeScript cannot see that for a generic Arg.
    return await handle.evaluate(fn as (h: TestHandle, arg: unknown) => R, arg);
  } finally {
    await handle.dispose();
  }
}

/** The terminal's text (empty while the Terminal tab is not mounted). */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => window.__vgpioTerminal?.text() ?? '');
}

/** The raw data written to the terminal, from offset `from` on. */
export function terminalWritten(page: Page, from = 0): Promise<string> {
  return page.evaluate((m) => window.__vgpioTerminal?.written().slice(m) ?? '', from);
}

/** Whether a terminal is mounted (its handle is set). */
export function hasTerminal(page: Page): Promise<boolean> {
  return page.evaluate(() => window.__vgpioTerminal !== undefined);
}
