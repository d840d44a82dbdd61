import { expect, test, type Page } from '@playwright/test';
import { hasTerminal, terminalText, terminalWritten } from './handle';

// The Terminal tab: xterm.js loaded lazily, a dumb screen for the guest shell that runs in the worker.
// Terminal text is read through window.__vgpioTerminal (set by TerminalPanel), never from pixels.

// Generous: CI machines (and this one) can be heavily loaded.
test.describe.configure({ timeout: 180_000 });

const TERMINAL_CHUNK = /\/assets\/TerminalPanel-[^/]*\.js$/;

/** The terminal's logical lines. */
async function terminalLines(page: Page): Promise<string[]> {
  return (await terminalText(page)).split('\n');
}

/** The default scenario, past its end and running on for good at 1× (so shell commands complete at once), with the terminal open. */
async function openTerminal(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  // The scenario is 6 ms long: let it end, then continue past its end in real time (cheap: the board is idle).
  await expect(page.getByTestId('run-status')).toHaveText('ended');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '1×' });
  await page.getByRole('button', { name: 'Continue', exact: true }).click(); // The run has ended: the button says Continue.
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Guest shell' })).toBeVisible();
  await expect.poll(() => terminalText(page)).toMatch(/\$ $/);
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
}

/** Types a command and Enter, then waits for the shell's next prompt after it. */
async function run(page: Page, command: string): Promise<string> {
  const before = (await terminalText(page)).length;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).slice(before)).toMatch(/\n\$ $/);
  return (await terminalText(page)).slice(before);
}

test('xterm loads only when the Terminal tab is opened', async ({ page }) => {
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (TERMINAL_CHUNK.test(new URL(r.url()).pathname)) chunks.push(r.url());
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect(page.getByTestId('trace-hash')).not.toHaveText('-');
  await page.waitForTimeout(500);
  expect(chunks).toEqual([]);
  expect(await hasTerminal(page)).toBe(false);
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect.poll(() => chunks.length).toBe(1);
  await expect(page.getByRole('region', { name: 'Guest shell' })).toBeVisible();
  await expect.poll(() => terminalText(page)).toContain('$ ');
});

test('gpiodetect, gpioinfo and gpioget print libgpiod output', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openTerminal(page);

  expect(await run(page, 'gpiodetect')).toContain('\ngpiochip0 [virtio1] (6 lines)\n');

  const info = (await run(page, 'gpioinfo')).split('\n');
  expect(info).toContain('gpiochip0 - 6 lines:');
  expect(info.find((l) => l.includes('"button"'))).toMatch(/^\s+line\s+0:\s+"button"\s+input\b.*consumer="gpio-keys"/);
  expect(info.filter((l) => /^\s+line\s+[345]:\s+unnamed\s/.test(l))).toHaveLength(3);

  // door-sensor and status-led are held by kernel drivers (the "door" irq consumer, the "led" output
  // client): as on Linux, requesting them from user space fails with EBUSY. Unnamed line 3 is free.
  expect(await run(page, 'gpioget door-sensor')).toContain('\ngpioget: unable to request lines: Device or resource busy\n');
  expect(await run(page, 'gpioget -c gpiochip0 3')).toContain('\n"3"=inactive\n');
  expect(errors).toEqual([]);
});

test('gpiomon reports an edge made with the Lines table, and Ctrl-C stops it', async ({ page }) => {
  await openTerminal(page);
  // The button is held by gpio-keys (a kernel driver), so user space cannot monitor it, as on Linux.
  expect(await run(page, 'gpiomon -n 1 button')).toContain('\ngpiomon: unable to request lines on chip /dev/gpiochip0: Device or resource busy\n');

  // -n 1: gpiomon waits for one event on the free line 3; drive that line from the Lines table.
  const before = (await terminalText(page)).length;
  const rawBefore = await terminalWritten(page).then((w) => w.length);
  await page.keyboard.type('gpiomon -n 1 -c gpiochip0 3');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).slice(before)).toMatch(/gpiomon -n 1 -c gpiochip0 3\n$/);
  await page.waitForTimeout(200);
  await page.getByRole('button', { name: /^Drive line 3, level/ }).click();
  await expect.poll(async () => (await terminalText(page)).slice(before)).toMatch(/\n\$ $/);
  // libgpiod's default event format: "<sec>.<nsec>\t<edge>\t<line id>" (the screen turns tabs into spaces; the stream keeps them).
  const raw = await terminalWritten(page, rawBefore);
  const events = raw.split('\n').filter((l) => /gpiochip0 3$/.test(l) && !l.includes('gpiomon'));
  expect(events).toHaveLength(1);
  expect(events[0]).toMatch(/^\d+\.\d{9}\t(rising|falling)\tgpiochip0 3$/);
  expect((await terminalText(page)).slice(before)).toMatch(/\n\d+\.\d{9}\s+(rising|falling)\s+gpiochip0 3\n\$ $/);

  // A gpiomon without -n runs until Ctrl-C. (The click above took the focus: give it back to the terminal.)
  await page.locator('.terminal-host').click();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
  const mark = (await terminalText(page)).length;
  await page.keyboard.type('gpiomon -c gpiochip0 4');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).slice(mark)).toMatch(/gpiomon -c gpiochip0 4\n$/);
  await page.waitForTimeout(300);
  expect((await terminalText(page)).slice(mark)).not.toMatch(/\n\$ $/);
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await terminalText(page)).slice(mark)).toMatch(/\^C\n\$ $/);
  // The line is free again.
  expect(await run(page, 'gpioget -c gpiochip0 4')).toContain('\n"4"=inactive\n');
});

test('ArrowUp recalls the last command, and Tab leaves the terminal', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'gpiodetect');
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await terminalLines(page)).at(-1)).toBe('$ gpiodetect');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).split('gpiochip0 [virtio1] (6 lines)').length - 1).toBe(2);
  // Tab means nothing to the line editor: it moves the focus on, so the terminal is no keyboard trap.
  await page.keyboard.press('Tab');
  await expect(page.locator('.xterm-helper-textarea')).not.toBeFocused();
});

test('escape sequences pasted into a command never reach the screen', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'gpiodetect');
  const title = await page.title();
  const mark = await terminalWritten(page).then((w) => w.length);
  // A paste (as a clipboard would deliver it): OSC title change, clear screen, colors, an 8-bit CSI, a bell.
  const evil = 'gpioinfo \x1b]0;PWNED\x07\x1b[2J\x1b[3Jbut\x1b[31mton\x9b1m\x07 \x1b[5mno\x1b[0mpe\r';
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, evil);
  await expect.poll(async () => (await terminalText(page)).endsWith('$ ') && (await terminalText(page)).includes('gpioinfo button nope')).toBe(true);
  const written = await terminalWritten(page, mark);
  // Only the line editor's own cursor sequences may appear; nothing the user pasted.
  const escapes = written.match(/\x1b[^[]|\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g) ?? [];
  expect(escapes.filter((e) => !/^\x1b\[\d*[CDK]$|^[\b\r]$/.test(e))).toEqual([]);
  expect(written).not.toContain('PWNED');
  // The screen was not cleared and the page title did not change.
  expect(await terminalText(page)).toContain('gpiochip0 [virtio1] (6 lines)');
  expect(await page.title()).toBe(title);
  expect(await terminalText(page)).toMatch(/gpioinfo: cannot find line 'nope'/);
});

/** Pastes text into the focused terminal as a clipboard would. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

test('a paste is text: a pasted Up-arrow sequence never recalls and runs an earlier command; a 60 KB paste is one bounded line', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'gpiodetect');
  const before = (await terminalText(page)).split('gpiochip0 [virtio1] (6 lines)').length - 1;
  // Up then Enter, pasted: with bracketed paste on, this is text (the escape is removed), so Enter runs an empty line.
  await paste(page, '\x1b[A\r');
  await expect.poll(async () => (await terminalText(page)).endsWith('$ ')).toBe(true);
  await page.waitForTimeout(500);
  expect((await terminalText(page)).split('gpiochip0 [virtio1] (6 lines)').length - 1).toBe(before);
  // 60 KB in one paste: the line stops at 1024 characters (the bell), and the page stays responsive.
  await paste(page, 'x'.repeat(60 * 1024));
  await expect.poll(async () => ((await terminalText(page)).match(/x/g) ?? []).length).toBe(1024);
  await page.keyboard.press('Control+U');
  await run(page, 'gpiodetect');
});

test('the output is still there after switching tabs, and the theme follows the app', async ({ page }) => {
  await openTerminal(page);
  await run(page, 'gpiodetect');
  const text = await terminalText(page);
  await page.getByRole('tab', { name: 'Trace', exact: true }).click();
  await expect.poll(() => hasTerminal(page)).toBe(false);
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect.poll(() => terminalText(page)).toBe(text);
  await run(page, 'gpiodetect');

  const background = (): Promise<string> => page.locator('.terminal-host .xterm-scrollable-element').evaluate((el) => getComputedStyle(el).backgroundColor);
  const panel = (): Promise<string> =>
    page.evaluate(() => {
      const probe = document.createElement('div');
      probe.style.background = 'var(--panel)';
      document.body.append(probe);
      const c = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return c;
    });
  expect(await background()).toBe(await panel());
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await expect.poll(background).toBe(await panel());
});
