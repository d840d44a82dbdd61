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

test('preset rust-vmm shows the policies rust-vmm runs with; a changed one is marked, and so is the library entry', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const field = (path: string) => page.locator(`[id="setting-${path}"]`);
  // The spec preset first: its own policies, nothing marked.
  await expect(field('device.policy.edgeLatch')).toHaveValue('single');
  await expect(page.getByTestId('setting-differs')).toHaveCount(0);
  await field('device.preset').selectOption('rust-vmm');
  await expect.poll(() => onApp(page, (h) => h.state().info?.preset)).toBe('rust-vmm');
  // The values in policyPreset('rust-vmm') (src/sim/gpio/policies.ts), not the spec's.
  const expected: Record<string, string> = {
    edgeLatch: 'queue:16',
    onNone: 'lazy',
    earlyBuffer: 'returned',
    typeChange: 'rejected',
    sameType: 'err',
    level: 'rejected',
    levelSample: 'resample',
    badGpio: 'crash',
    malformed: 'stall',
    outNeedsValue: 'true',
    getNeedsDirection: 'true',
    mockStorm: 'false',
    responseSize: 'exact',
    directionNone: 'keep-irq-type',
    hostRequest: 'true',
  };
  for (const [k, v] of Object.entries(expected)) await expect(field(`device.policy.${k}`), k).toHaveValue(v);
  await expect(page.getByTestId('setting-differs')).toHaveCount(0);
  // Each setting says what it decides and what the chosen option means.
  await expect(page.locator('[id="setting-device.policy.onNone-help"]')).toHaveText('when SET_IRQ_TYPE NONE gives a held eventq buffer back: only at the next edge, edge detection staying on (rust-vmm)');
  const calm = page.getByRole('button', { name: /^A calm board/ });
  await expect(calm).toContainText('settings changed (13)');

  // One policy changed from the preset's: in use, and marked.
  await field('device.policy.onNone').selectOption('now');
  await expect.poll(() => onApp(page, (h) => (h.state().info?.json as { device?: { policy?: { onNone?: string } } }).device?.policy?.onNone)).toBe('now');
  await expect(field('device.policy.onNone')).toHaveValue('now');
  await expect(page.getByTestId('setting-differs')).toHaveCount(1);
  await expect(page.locator('[data-setting="device.policy.onNone"]')).toHaveAttribute('data-differs', '1');
  await expect(page.getByTestId('setting-differs')).toHaveText('(differs from rust-vmm\u2019s lazy)');
  await expect(calm).toContainText('settings changed (12)');
});
