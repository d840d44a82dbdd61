import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { onApp } from './handle';

/** `vgpio diff`'s own answer for the pair (the CLI runs the same core). */
interface Diff {
  lines: { line: number; name: string; counts: { key: string; a: number; b: number }[] }[];
  total: { key: string; a: number; b: number }[];
  divergence: { seq: number; a: { t: number; text: string } | null; b: { t: number; text: string } | null } | null;
}

test('compare spec with rust-vmm on two edges while away: the differences vgpio diff reports, the divergence marked, and a link that opens the comparison', async ({ page, context }) => {
  const cli = JSON.parse(execFileSync('node', ['bin/vgpio.mjs', 'diff', 'two-edges-while-away', '--with', 'device.preset=rust-vmm', '--json'], { encoding: 'utf8' })) as Diff;
  expect(cli.divergence).not.toBeNull();

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Scenario library' }).getByRole('button', { name: 'Two edges while away: one latch (spec)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Two edges while away: one latch (spec)');
  await page.getByRole('button', { name: 'Compare with…' }).click();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('form', { name: 'Compare with' }).getByLabel('preset').selectOption('rust-vmm');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();

  // The count differences, row for row, as the CLI computes them (per line, then the total).
  const table = page.getByTestId('compare-counts');
  await expect(table).toBeVisible();
  const expected = [
    ...cli.lines.flatMap((l) => l.counts.map((c) => ({ line: String(l.line), ...c }))),
    ...cli.total.map((c) => ({ line: 'total', ...c })),
  ];
  expect(expected.length).toBe(8); // spurious, handler calls, device delivered, device coalesced: on gpio 0 and in total
  const shown = await table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({ line: (r as HTMLElement).dataset['line'], key: (r as HTMLElement).dataset['key'], a: Number(r.children[2]!.textContent), b: Number(r.children[3]!.textContent) })),
  );
  expect(shown).toEqual(expected.map((e) => ({ line: e.line, key: e.key, a: e.a, b: e.b })));
  await expect(table.locator('tr[data-line="0"][data-key="spurious"]')).toContainText('spurious');

  // The first divergence: named with its event, time and both diverging rows; marked on the aligned lanes.
  const d = cli.divergence!;
  const div = page.getByTestId('compare-divergence');
  await expect(div).toHaveAttribute('data-seq', String(d.seq));
  await expect(div).toHaveAttribute('data-t', String(d.a!.t));
  await expect(div.locator('li[data-side="a"]')).toContainText(`gpio 0 button: ${d.a!.text}`);
  await expect(div.locator('li[data-side="b"]')).toContainText(`gpio 0 button: ${d.b!.text}`);
  const lanes = page.getByTestId('compare-lanes');
  await expect(lanes).toHaveAttribute('data-divergence-t', String(d.a!.t));
  await expect(lanes).toHaveAttribute('data-marker-shown', 'true');
  await expect(lanes).toHaveAttribute('aria-label', /The runs diverge at 1\.1 ms \(event 81\) on button\./);
  // Going there moves the time-travel cursor to the divergence and selects this run's diverging event.
  await div.getByRole('button', { name: 'Go to the divergence' }).click();
  await expect.poll(() => onApp(page, (h) => [h.state().cursor, h.state().selectedSeq])).toEqual([d.a!.t, d.seq]);

  // The address carries both settings (the scenario's and the comparison's) and the view: opening it opens the comparison.
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#scenario=two-edges-while-away&t=${d.a!.t}&sel=${d.seq}&tab=compare&with=device.preset%3Drust-vmm`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('toast')).toContainText('opens at this view');
  const url = page.url();
  expect(url).toMatch(/#s1\.[A-Za-z0-9_-]+&t=1100000&sel=81&tab=compare&with=device\.preset%3Drust-vmm$/);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByRole('form', { name: 'Compare with' }).getByLabel('preset')).toHaveValue('rust-vmm');
  const shownThere = await other.getByTestId('compare-counts').locator('tbody tr').evaluateAll((rows) => rows.map((r) => `${(r as HTMLElement).dataset['line']}:${(r as HTMLElement).dataset['key']}:${r.children[2]!.textContent}->${r.children[3]!.textContent}`));
  expect(shownThere).toEqual(expected.map((e) => `${e.line}:${e.key}:${e.a}->${e.b}`));
  await expect(other.getByTestId('compare-divergence')).toHaveAttribute('data-seq', String(d.seq));
  await expect.poll(() => onApp(other, (h) => [h.state().cursor, h.state().selectedSeq])).toEqual([d.a!.t, d.seq]);
});

test('settings that are not valid are refused with the reason, naming the setting', async ({ page }) => {
  await page.goto('/#scenario=calm-board&tab=compare');
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('form', { name: 'Compare with' }).getByLabel('other settings').fill('device.policy.edgeLatch=sometimes');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('compare-panel').getByRole('alert')).toContainText('Not compared: device.policy.edgeLatch');
});
