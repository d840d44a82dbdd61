import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

// The main journeys with the keyboard only: the skip link, driving a line, changing a trigger
// (applied on Enter, not on every arrow press), the Export menu, and the descriptor tables as
// grids with one Tab stop each.

test.describe.configure({ timeout: 120_000 });

/** A short description of the focused element. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const row = el.dataset['line'] ?? el.dataset['desc'];
    return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''}${row !== undefined ? `#${row}` : ''}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
  });
}

/** SET_IRQ_TYPE requests (decoded request kind 20, message type 6) for gpio `line` in the trace. */
function setIrqTypes(page: Page, line: number): Promise<number> {
  return onApp(
    page,
    (h, l) => {
      const t = h.trace();
      let n = 0;
      for (let s = t.firstSeq; s < t.total; s++) {
        const e = t.get(s);
        if (e && e.kind === 20 && e.a === 6 && e.line === l) n++;
      }
      return n;
    },
    line,
  );
}

/** Presses Tab until `done` says the focus arrived; returns how many presses it took. */
async function tabUntil(page: Page, done: (f: string) => boolean, max = 300): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (done(await focused(page))) return n;
  }
  throw new Error(`focus never arrived after ${max} Tab presses (at ${await focused(page)})`);
}

async function openCalmBoardEnded(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  await expect.poll(() => onApp(page, (h) => h.live.view?.lines.armed[0] ?? 0)).toBe(1);
  await focusStart(page);
}

/** Puts the keyboard at the start of the page (the next Tab goes to its first stop). */
async function focusStart(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
}

test('keyboard: skip link, a line row, drive a line, change a trigger with Enter', async ({ page }) => {
  await openCalmBoardEnded(page);
  // Without the skip link: every stop in the header and the sidebar first.
  const withoutSkip = await tabUntil(page, (f) => f.startsWith('button:Drive button'));
  console.log(`Tab stops to the first drive button without the skip link: ${withoutSkip}`);
  await focusStart(page);

  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('a:Skip to the lines');
  await expect(page.getByRole('link', { name: 'Skip to the lines' })).toBeInViewport();
  await page.keyboard.press('Enter');
  expect(await focused(page)).toMatch(/^main/);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatch(/^div\[row\]#0:/);
  // Rows are one Tab stop: the arrows move, Enter inspects.
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toMatch(/^div\[row\]#1:/);
  await page.keyboard.press('Enter');
  await expect.poll(() => onApp(page, (h) => h.state().inspectLine)).toBe(1);
  await page.keyboard.press('ArrowUp');
  expect(await focused(page)).toMatch(/^div\[row\]#0:/);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('button:Drive button, level 1');

  // Drive the active-low button with the keyboard: one falling edge, one handler call.
  const calls = (): Promise<number> => onApp(page, (h) => h.live.view!.lines.handlerCalls[0]!);
  const before = await calls();
  await page.keyboard.press('Enter');
  await expect.poll(calls).toBe(before + 1);

  // The trigger: arrows only choose; Enter applies, once.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatch(/^select:Trigger of button/);
  const requests = await setIrqTypes(page, 0);
  const trigger = page.getByRole('combobox', { name: 'Trigger of button' });
  const from = await trigger.inputValue();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await trigger.inputValue()).not.toBe(from);
  await page.waitForTimeout(300); // Time for a request the arrows would have sent to show in the trace.
  expect(await setIrqTypes(page, 0)).toBe(requests);
  const chosen = await trigger.inputValue();
  await page.keyboard.press('Enter');
  await expect.poll(() => setIrqTypes(page, 0)).toBe(requests + 1);
  await expect.poll(() => onApp(page, (h) => h.live.view!.lines.clientType[0])).not.toBe(0);
  expect(await trigger.inputValue()).toBe(chosen);
  expect(withoutSkip).toBeGreaterThan(4);
});

test('keyboard: the Export menu opens with the arrows and closes with Escape or a click outside', async ({ page }) => {
  await openCalmBoardEnded(page);
  const button = page.getByRole('button', { name: 'Export' });
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await expect(page.getByRole('menuitem').nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown'); // Wraps to the first.
  await expect(page.getByRole('menuitem').nth(0)).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: 'Trace as JSON Lines' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  // ArrowUp opens on the last item; a click elsewhere closes it.
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('menuitem', { name: 'Trace as JSON Lines' })).toBeFocused();
  await page.getByRole('heading', { name: 'Lines' }).click();
  await expect(menu).toBeHidden();
});

test('keyboard: a descriptor table is a grid with one Tab stop, moved through with the arrows', async ({ page }) => {
  await openCalmBoardEnded(page);
  await page.getByRole('tab', { name: 'Virtqueues', exact: true }).click();
  const grid = page.getByRole('grid', { name: 'requestq descriptor table' });
  await expect(grid).toBeVisible();
  const rows = await grid.locator('tbody tr').count();
  expect(rows).toBeGreaterThan(4);
  // Tab stops across the whole page with this tab open (each table is one stop, not one per row).
  await page.getByRole('link', { name: 'Skip to the lines' }).focus();
  const all = await tabUntil(page, (f) => f === 'a:Skip to the lines');
  console.log(`Tab stops around the whole page, Virtqueues tab open: ${all}`);
  // Each descriptor table is exactly one Tab stop, whatever its rows (133 stops around the page before).
  const stopsIn = (name: string): Promise<number> =>
    page.getByRole('grid', { name }).evaluate((el) => [el, ...el.querySelectorAll('*')].filter((e) => (e as HTMLElement).tabIndex >= 0).length);
  expect(await stopsIn('requestq descriptor table')).toBe(1);
  expect(await stopsIn('eventq descriptor table')).toBe(1);
  expect(all).toBeLessThan(133);

  await grid.locator('tbody tr').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toMatch(/^tr#3:/);
  await expect(page.getByTestId('qi-tip')).toBeVisible(); // The focused row's decoded descriptor.
  await page.keyboard.press('End');
  expect(await focused(page)).toBe(`tr#${rows - 1}:${(await grid.locator('tbody tr').last().textContent())?.trim().slice(0, 40)}`);
  await page.keyboard.press('Home');
  expect(await focused(page)).toMatch(/^tr#0:/);
  // Tab leaves the table at once.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('table')?.getAttribute('aria-label') ?? 'outside')).not.toBe('requestq descriptor table');
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toMatch(/^tr#0:/);
});

test('keyboard: focusing the scenario file picker keeps the app on screen', async ({ page }) => {
  await openCalmBoardEnded(page);
  const picker = page.getByLabel('Open a scenario file…');
  await picker.focus();
  await expect(picker).toBeFocused();
  // The sidebar scrolls to it; the app itself does not move (it used to jump 748 px off screen).
  expect(await page.evaluate(() => ({ app: document.querySelector('.app')!.scrollTop, page: document.scrollingElement!.scrollTop }))).toEqual({ app: 0, page: 0 });
  await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
  expect(await page.evaluate(() => document.querySelector('.sidebar')!.scrollTop)).toBeGreaterThan(0);
});
