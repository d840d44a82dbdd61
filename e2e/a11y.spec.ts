import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// Accessibility: axe-core (WCAG 2.x A and AA rules, plus the label-in-name rule axe files as
// experimental) in every panel, light and dark. Serious and critical findings fail the test; every
// finding is printed, so the log shows what a panel still has.

test.describe.configure({ timeout: 120_000 });

type Panel = 'Trace' | 'Virtqueues' | 'Terminal' | 'Settings' | 'Explanation' | 'Compare' | 'Explore' | 'Follow';
const PANELS: readonly Panel[] = ['Trace', 'Virtqueues', 'Terminal', 'Settings', 'Explanation', 'Compare', 'Explore', 'Follow'];

async function open(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  // Let the default scenario run to its end, so badges, counters and the rings show real values.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function show(page: Page, panel: Panel): Promise<void> {
  if (panel === 'Explanation') {
    // The explanation card of the LOST flag of mask-by-none-loses-edge, opened from its trace row.
    await page.getByRole('button', { name: 'Masking with SET_IRQ_TYPE NONE loses an edge' }).click();
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
    await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
    // Only the checks (the oracle's labels), so the LOST row is in view.
    for (const cat of ['ring', 'transport', 'msg', 'line', 'device', 'driver', 'handler', 'step']) await page.locator(`.tl-cat-btn[data-cat="${cat}"]`).click();
    await page.getByRole('row', { name: /LOST/ }).first().click();
    await expect(page.getByRole('dialog', { name: /^Why: LOST/ }).getByTestId('explain-sentence')).toBeVisible();
    return;
  }
  if (panel === 'Follow') {
    // The chart with messages in it and one of them current (following a press), the status said.
    await page.getByRole('switch', { name: 'Follow mode' }).click();
    await page.getByRole('combobox', { name: 'Pace' }).selectOption('10');
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Drive button' }).click();
    // The round trip walked to its end: following waits there, the last event current.
    await expect(page.locator('.seq-row[data-current="1"] .seq-label')).toHaveText("device holds gpio 0's eventq buffer", { timeout: 30_000 });
    return;
  }
  if (panel === 'Settings') {
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('group', { name: 'Device' })).toBeVisible();
    return;
  }
  await page.getByRole('tab', { name: panel, exact: true }).click();
  if (panel === 'Terminal') await expect(page.getByRole('heading', { name: 'Guest shell' })).toBeVisible();
  if (panel === 'Virtqueues') await expect(page.locator('.qi-table').first()).toBeVisible();
  if (panel === 'Compare') {
    // With a comparison shown: the form, the aligned lanes, the table and the divergence.
    await page.getByRole('form', { name: 'Compare with' }).getByLabel('preset').selectOption('rust-vmm');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page.getByTestId('compare-divergence')).toBeVisible();
  }
  if (panel === 'Explore') {
    // The form and a finished search's verdict (a counterexample with its schedule and the Open button).
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(page.getByTestId('explore-result')).toHaveAttribute('data-stop', 'found', { timeout: 30_000 });
    // The fields that only some choices show: the random mode's seed and the livelock property's N.
    await page.getByRole('combobox', { name: 'Search' }).selectOption('random');
    await page.getByRole('combobox', { name: 'Property' }).selectOption('livelock');
    await expect(page.getByRole('textbox', { name: 'Seed' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Livelock N (INVALID returns per ms)' })).toBeVisible();
  }
}

async function audit(page: Page): Promise<{ id: string; impact: string; nodes: number; targets: string[] }[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', nodes: v.nodes.length, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
}

for (const theme of ['light', 'dark'] as const) {
  for (const panel of PANELS) {
    test(`axe finds no serious or critical violation: ${panel}, ${theme} theme`, async ({ page }) => {
      await open(page, theme);
      await show(page, panel);
      const found = await audit(page);
      console.log(`axe ${panel} ${theme}: ${found.length === 0 ? 'none' : found.map((f) => `${f.id} (${f.impact}) x${f.nodes} [${f.targets.join(' | ')}]`).join(', ')}`);
      expect(found.filter((f) => f.impact === 'serious' || f.impact === 'critical')).toEqual([]);
    });
  }
}
