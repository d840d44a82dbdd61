import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

/** Three level timers: a correct board far too big to exhaust (the one `vgpio bench` searches too). Tests run from the project root. */
const THREE_LEVEL_TIMERS: unknown = JSON.parse(readFileSync('src/sim/explore/three-level-timers.json', 'utf8'));

// The Explore panel in the production build: a search in the pool of Web Workers finds the
// mask-by-NONE race, opens it as a normal run on its flag, with the trace hash the core computes for
// the same input; a long search is cancelled and says so with its figures.

test.describe.configure({ timeout: 120_000 });

async function openPanel(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('tab', { name: 'Explore', exact: true }).click();
  await expect(page.getByTestId('explore-panel')).toBeVisible();
}

/** Open on a found counterexample: the trace tab, the run loaded, its one selected row the lost label. */
async function openOnLostFlag(page: Page, title?: string): Promise<void> {
  await page.getByTestId('explore-result').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('tab', { name: 'Trace', exact: true })).toHaveAttribute('aria-selected', 'true', { timeout: 30_000 });
  if (title !== undefined) await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const selected = page.locator('[role="row"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toContainText(/lost/i);
}

/** Runs the loaded run to its end at maximum speed: the trace hash of the whole run. */
async function hashAtEnd(page: Page): Promise<string | undefined> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
  await page.getByRole('group', { name: 'Run controls' }).getByRole('button').first().click();
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  return onApp(page, (h) => h.live.hash);
}

test('a search finds the shortest counterexample of explore-mask-by-none, and Open loads it on its flag, with its explanation', async ({ page }) => {
  // The counterexample as the CLI finds it, through the core's bundle (`npm run build:cli`). Playwright's
  // loader cannot import the core's sources directly (their library JSON imports carry no import attribute).
  // Exit status 1: a counterexample was found.
  const run = spawnSync(process.execPath, ['bin/vgpio.mjs', 'explore', 'explore-mask-by-none', '--json'], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  const cli = JSON.parse(run.stdout) as { stop: string; counterexample: { traceHash: string; schedule: number[][] } | null };
  expect(cli.stop).toBe('found');
  expect(cli.counterexample!.schedule).toEqual([[0, 33_975]]);
  const hash = cli.counterexample!.traceHash;

  await openPanel(page);
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toHaveValue('explore-mask-by-none');
  await expect(page.getByRole('combobox', { name: 'Property' })).toHaveValue('lost');
  await expect(page.getByRole('combobox', { name: 'Line' })).toHaveValue('0');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stop', 'found', { timeout: 30_000 });
  await expect(result.getByRole('heading')).toHaveText('Counterexample found: a lost interrupt on line 0 (button)');
  await expect(result).toContainText('1 choice away from the seeded default run (a shortest one); 4 schedules');
  await expect(result).toContainText('choice 0 (step time): 33,975 ns');
  await expect(page.getByTestId('explore-cex-hash')).toHaveText(hash);

  // The trace tab, with the cursor on the flag: the selected row is the lost label on the button.
  await openOnLostFlag(page, 'Explore: masking with SET_IRQ_TYPE NONE loses an edge');
  const cursor = await onApp(page, (h) => h.state().cursor);
  expect(cursor).not.toBeNull();
  // ... and its explanation: the card of that flag.
  const card = page.getByTestId('explain-card');
  await expect(card).toBeVisible();
  await expect(card.getByRole('heading', { level: 2 })).toContainText(/^Why: LOST on gpio 0 at /);
  await expect(card.getByTestId('explain-sentence')).toContainText('was lost');
  expect(await onApp(page, (h) => h.state().card?.seq)).toBe(await onApp(page, (h) => h.state().selectedSeq));
  // The whole run, as loaded from the counterexample's file, has the core's trace hash.
  expect(await hashAtEnd(page)).toBe(hash);
});

/** A correct setup whose space is far too big to exhaust while the test looks (over 20,000 schedules are not enough), so a search for a violation is still running when Cancel is pressed, however fast the machine. */
test('a long search shows its progress and stops when cancelled, saying so with its figures', async ({ page }) => {
  await openPanel(page);
  await page.getByLabel('Open a scenario file…').setInputFiles({ name: 'three-timers.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(THREE_LEVEL_TIMERS)) });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Explore: three level timers');
  await page.getByRole('tab', { name: 'Explore', exact: true }).click();
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('current');
  await page.getByRole('combobox', { name: 'Property' }).selectOption('violation');
  await page.getByRole('spinbutton', { name: 'Max schedules' }).fill('100000');
  await page.getByRole('spinbutton', { name: 'Max seconds' }).fill('600');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  // Progress: schedules counted, a bar toward the bound.
  await expect(page.getByTestId('explore-progress').getByRole('progressbar')).toBeVisible();
  await expect.poll(async () => Number((await page.getByTestId('explore-schedules').textContent())?.replace(/,/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stop', 'cancelled');
  await expect(result.getByRole('heading')).toHaveText('Cancelled');
  await expect(result).toContainText(/Stopped by you after [\d,]+ schedules?, [\d,]+ distinct states?, [\d.]+ s: the space was not exhausted, so this is no proof\./);
  await expect(page.getByTestId('explore-progress')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
});

test('random mode: a seeded search finds the mask-by-NONE race, the same counterexample again for the same seed, and Open loads it on its flag', async ({ page }) => {
  await openPanel(page);
  await page.getByRole('combobox', { name: 'Search' }).selectOption('random');
  const seed = page.getByRole('textbox', { name: 'Seed' });
  // Checked as it is typed, like the other whole-number fields: the value in use stays.
  await seed.fill('12x');
  await expect(page.getByText('seed: "12x" is not a whole number; 1 is in use.')).toBeVisible();
  await seed.fill('7');
  await seed.press('Tab');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stop', 'found', { timeout: 30_000 });
  await expect(result.getByRole('heading')).toHaveText('Counterexample found: a lost interrupt on line 0 (button)');
  await expect(result).toContainText(/1 choice away from the seeded default run, found by the randomized search, seed 7 and shrunk/);
  const hash = await page.getByTestId('explore-cex-hash').textContent();
  // Reproducible: the same seed and pool give the same counterexample.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(result).toHaveAttribute('data-stop', 'found', { timeout: 30_000 });
  await expect(page.getByTestId('explore-cex-hash')).toHaveText(hash!);

  await openOnLostFlag(page, 'Explore: masking with SET_IRQ_TYPE NONE loses an edge');
  expect(await hashAtEnd(page)).toBe(hash);
});

test('random mode on a correct setup: "not exhaustive: N schedules tried, none found"', async ({ page }) => {
  await openPanel(page);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('explore-single-edge-spec');
  await page.getByRole('combobox', { name: 'Search' }).selectOption('random');
  await page.getByRole('spinbutton', { name: 'Max schedules' }).fill('200');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stop', 'max-schedules', { timeout: 30_000 });
  await expect(result.getByRole('heading')).toHaveText('Not exhaustive, none found');
  await expect(result).toContainText('Not exhaustive: 200 schedules tried, none found (randomized search, seed 1, stopped at the schedule bound');
});

test('the livelock property: the INVALID ping-pong of invalid-livelock is found and opened on its flag', async ({ page }) => {
  await page.goto('./#scenario=invalid-livelock');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('INVALID ping-pong livelock (rust-vmm rejects level)');
  // Paused early: the current run's file then carries a pause step well before the flag (1.5 ms), which
  // Open must run past (it used to stop there, short of the flag, whenever the search started early).
  await page.getByRole('group', { name: 'Run controls' }).getByRole('button').first().click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  expect(await onApp(page, (h) => h.live.view?.now ?? 0)).toBeLessThan(1_500_000);
  await page.getByRole('tab', { name: 'Explore', exact: true }).click();
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('current');
  await page.getByRole('combobox', { name: 'Property' }).selectOption('livelock');
  const n = page.getByRole('textbox', { name: 'Livelock N (INVALID returns per ms)' });
  await expect(n).toHaveValue('50');
  await n.fill('-3');
  await expect(page.getByText('livelock N must be 0 or more; 50 is in use.')).toBeVisible();
  await n.fill('60');
  await n.press('Tab');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stop', 'found', { timeout: 30_000 });
  await expect(result.getByRole('heading')).toHaveText('Counterexample found: more than 60 INVALID eventq returns within one simulated ms');
  // The livelock's first flag: the sensor's assertion, lost while the buffer bounces.
  await openOnLostFlag(page);
  await expect(page.getByTestId('explain-card')).toBeVisible();
});
