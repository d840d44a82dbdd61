import { expect, test } from '@playwright/test';

test('the default scenario loads and runs', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect(page.getByTestId('trace-hash')).not.toHaveText('-');
  await expect(page.getByRole('button', { name: 'Drive button' })).toBeVisible();
  const t1 = await page.getByTestId('sim-time').textContent();
  await page.waitForTimeout(1500);
  const t2 = await page.getByTestId('sim-time').textContent();
  expect(t2).not.toBe(t1);
  expect(errors).toEqual([]);
});
