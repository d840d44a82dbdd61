import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

// What the settings and preferences show is what is in use: number fields refuse what cannot be
// applied (and say so), theme and speed survive a reload, corrupt saved preferences are ignored.

test.describe.configure({ timeout: 120_000 });

async function open(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
}

/** The scenario's notify latency as the worker uses it (the settings' file form), or null for the default. */
function notifyInUse(page: Page): Promise<unknown> {
  return onApp(page, (h) => {
    const j = h.state().info?.json as { device?: { latency?: { notify?: unknown } } } | undefined;
    return j?.device?.latency?.notify ?? null;
  });
}

test('a number field shows the error instead of a value other than the one in use', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const notify = page.getByRole('textbox', { name: 'notify (ns)' });
  await expect(notify).toHaveValue('2000');
  const before = await notifyInUse(page);
  await notify.fill('-5');
  await expect(notify).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('notify must be 0 or more; 2000 is in use.')).toBeVisible();
  await notify.press('Tab'); // Leaving the field applies nothing invalid.
  await page.waitForTimeout(300);
  expect(await notifyInUse(page)).toEqual(before);
  await expect(notify).toHaveValue('-5'); // Still the text typed, next to the error.

  const seed = page.getByRole('textbox', { name: 'seed' });
  await seed.fill('99999999999');
  await expect(page.getByText('seed must be at most 4294967295; 1 is in use.')).toBeVisible();
  await seed.press('Enter');
  await page.waitForTimeout(300);
  expect(await onApp(page, (h) => h.state().info?.seed)).toBe(1);

  // A valid value is applied (the run restarts with it) and shown.
  await seed.fill('4294967295');
  await expect(seed).toHaveAttribute('aria-invalid', 'false');
  await seed.press('Enter');
  await expect.poll(() => onApp(page, (h) => h.state().info?.seed)).toBe(4294967295);
  await expect(page.getByRole('textbox', { name: 'seed' })).toHaveValue('4294967295');
  await page.getByRole('textbox', { name: 'notify (ns)' }).fill('500');
  await page.getByRole('textbox', { name: 'notify (ns)' }).press('Enter');
  await expect.poll(() => notifyInUse(page)).toEqual([500, 500]);
});

test('theme and speed are kept across reloads; corrupt saved data is ignored', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10×' });
  await expect.poll(() => onApp(page, (h) => h.state().speed)).toBe(10);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => onApp(page, (h) => h.state().speed)).toBe(10);
  await expect(page.getByRole('combobox', { name: 'Speed' })).toHaveValue('10');

  for (const corrupt of ['{not json', '{"theme":"purple","speed":3}', '[]']) {
    await page.evaluate((v) => localStorage.setItem('vgpio-lab:prefs:v1', v), corrupt);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect.poll(() => onApp(page, (h) => h.state().speed)).toBe(0.001);
  }
});
