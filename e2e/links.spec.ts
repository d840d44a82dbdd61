import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

const hashOf = (page: Page): Promise<string> => page.evaluate(() => location.hash);

test('choosing a library scenario puts it in the address, a reload keeps it, and a live change takes it away', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect.poll(() => hashOf(page)).toBe('#scenario=calm-board');
  await page.getByRole('navigation', { name: 'Scenario library' }).getByRole('button', { name: 'Masking with SET_IRQ_TYPE NONE loses an edge' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await expect.poll(() => hashOf(page)).toBe('#scenario=mask-by-none-loses-edge');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await expect.poll(() => hashOf(page)).toBe('#scenario=mask-by-none-loses-edge');
  // A live action: the session is no longer the library scenario, so the address no longer names it.
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  await page.getByRole('button', { name: /^Drive / }).first().click();
  await expect.poll(() => hashOf(page)).toBe('');
  // Copy link gives the address a link again (the changed session, replayable).
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect.poll(() => hashOf(page)).toMatch(/^#s1\.[A-Za-z0-9_-]+$/);
});

test('a copied link opens at the sender\'s cursor and selected flag', async ({ page, browser }) => {
  await page.goto('/#scenario=mask-by-none-loses-edge');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  // The LOST flag's row in the trace: click it (scrolling up to it if need be).
  const grid = page.getByRole('grid', { name: 'Trace events' });
  const lost = grid.locator('[data-flavor="lost"]').first();
  for (let i = 0; i < 50 && (await lost.count()) === 0; i++) await page.getByTestId('trace-scroll').evaluate((el) => (el.scrollTop -= el.clientHeight));
  const text = (await lost.locator('.tl-text').textContent()) ?? '';
  expect(text).toMatch(/LOST/i);
  await lost.click();
  const sent = await onApp(page, (h) => ({ cursor: h.state().cursor, sel: h.state().selectedSeq }));
  expect(sent.cursor).not.toBeNull();
  expect(sent.sel).not.toBeNull();
  await expect.poll(() => hashOf(page)).toBe(`#scenario=mask-by-none-loses-edge&t=${sent.cursor}&sel=${sent.sel}`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('toast')).toContainText('opens at this view');
  const url = page.url();
  expect(url).toMatch(new RegExp(`#s1\\.[A-Za-z0-9_-]+&t=${sent.cursor}&sel=${sent.sel}$`));

  // Another browser context (no shared state): the recipient opens exactly there.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  await other.goto(url);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await expect.poll(() => onApp(other, (h) => ({ cursor: h.state().cursor, sel: h.state().selectedSeq }))).toEqual(sent);
  const cursorText = await page.getByTestId('waveform-cursor').textContent();
  await expect(other.getByTestId('waveform-cursor')).toHaveText(cursorText ?? '');
  const row = other.getByRole('grid', { name: 'Trace events' }).locator('[aria-selected="true"]');
  await expect(row).toHaveAttribute('data-flavor', 'lost');
  await expect(row).toHaveAttribute('data-cursor', '1');
  await expect(row.locator('.tl-text')).toHaveText(text);
  await ctx.close();
});

test('a link whose view fields are damaged still opens, and says which fields it ignored', async ({ page }) => {
  await page.goto('/#scenario=edge-while-away&t=-3&tab=nowhere&zoom=2');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('An edge while the buffer is with the driver');
  await expect(page.getByTestId('toast')).toContainText('link field "t" ignored');
  await expect(page.getByTestId('toast')).toContainText('link field "zoom" ignored');
  await expect(page.getByTestId('toast')).toContainText('no panel "nowhere"');
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).toBeNull();
});

test('a library scenario picked while the first one is still loading is the one the address names', async ({ page }) => {
  // Hold the simulation worker's script back, so the pick is made before the default scenario has loaded:
  // the worker then answers both loads in order, and the first answer is superseded.
  await page.route('**/sim.worker*.js', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Scenario library' }).getByRole('button', { name: 'Masking with SET_IRQ_TYPE NONE loses an edge' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await expect.poll(() => hashOf(page)).toBe('#scenario=mask-by-none-loses-edge');
});
