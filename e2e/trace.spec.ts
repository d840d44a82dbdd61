import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

/** The trace grid and its drawn data rows (the header row excluded; hidden pool rows are not in the accessibility tree). */
const grid = (page: Page) => page.getByRole('grid', { name: 'Trace events' });
const dataRows = (page: Page) => grid(page).locator('.tl-rows').getByRole('row');

/** The aria-rowindex of the k-th data row that is entirely inside the scrolling viewport. */
async function firstRowInView(page: Page, k = 0): Promise<number> {
  return page.evaluate((k) => {
    const box = document.querySelector<HTMLElement>('.tl-scroll')!.getBoundingClientRect();
    const rows = [...document.querySelectorAll<HTMLElement>('.tl-rows .tl-row')].filter((r) => {
      if (r.hidden) return false;
      const b = r.getBoundingClientRect();
      return b.top >= box.top && b.bottom <= box.bottom;
    });
    return Number(rows[Math.min(k, rows.length - 1)]!.getAttribute('aria-rowindex'));
  }, k);
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
}

/** Shows only these categories. */
async function onlyCategories(page: Page, keep: string[]): Promise<void> {
  const group = page.getByRole('group', { name: 'Event categories shown' });
  for (const b of await group.getByRole('button').all()) {
    const name = (await b.textContent()) ?? '';
    const pressed = (await b.getAttribute('aria-pressed')) === 'true';
    if (pressed !== keep.includes(name)) await b.click();
  }
}

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect(dataRows(page).first()).toBeVisible();
});

test.afterEach(async ({ page }) => {
  expect((page as Page & { errors?: string[] }).errors).toEqual([]);
});

test('driving the button makes a handler call appear in the trace', async ({ page }) => {
  await runToEnd(page);
  await page.getByLabel('Line filter').selectOption({ label: '0 button' });
  await onlyCategories(page, ['handler']);
  const starts = dataRows(page).filter({ hasText: 'handler of client 0 starts for gpio 0' });
  await expect(starts).toHaveCount(2);
  // Driving a line after the end runs the simulation on.
  await page.getByRole('button', { name: 'Drive button' }).click();
  await expect(starts).toHaveCount(3);
  await expect(starts.last()).toContainText('(call 3)');
});

test('changing the trigger sends SET_IRQ_TYPE, shown decoded', async ({ page }) => {
  await page.getByLabel('Line filter').selectOption({ label: '0 button' });
  await onlyCategories(page, ['msg']);
  await page.getByLabel('Trigger of button').selectOption('edge-both');
  const row = dataRows(page).filter({ hasText: 'SET_IRQ_TYPE gpio 0 value 3' }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('[06 00 00 00 03 00 00 00]');
});

test('hiding a category removes its rows at once; the line filter keeps one line', async ({ page }) => {
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const ringCells = grid(page).locator('.tl-rows .tl-row:not([hidden]) .tl-cat', { hasText: /^ring$/ });
  await expect.poll(() => ringCells.count()).toBeGreaterThan(0);
  const before = await page.getByTestId('trace-count').textContent();
  const ring = page.getByRole('group', { name: 'Event categories shown' }).getByRole('button', { name: 'ring' });
  await expect(ring).toHaveAttribute('aria-pressed', 'true');
  // Click and check in the same task: no animation frame of new data is needed.
  const shownAfterClick = await page.evaluate(() => {
    const btn = [...document.querySelectorAll<HTMLButtonElement>('.tl-cat-btn')].find((b) => b.textContent === 'ring')!;
    btn.click();
    const rows = [...document.querySelectorAll<HTMLElement>('.tl-rows .tl-row')].filter((r) => !r.hidden);
    return { rows: rows.length, ring: rows.filter((r) => r.querySelector('.tl-cat')?.textContent === 'ring').length };
  });
  expect(shownAfterClick.rows).toBeGreaterThan(0);
  expect(shownAfterClick.ring).toBe(0);
  await expect(ring).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('trace-count')).not.toHaveText(before ?? '');
  await expect(page.getByTestId('trace-count')).toContainText(' of ');
  expect(await onApp(page, (h) => [...h.state().hiddenCategories])).toEqual(['ring']);

  await page.getByLabel('Line filter').selectOption({ label: '1 door-sensor' });
  await expect.poll(() => dataRows(page).count()).toBeGreaterThan(0);
  const lines = await grid(page).locator('.tl-rows .tl-row:not([hidden]) .tl-line').allTextContents();
  expect(new Set(lines)).toEqual(new Set(['1']));
  // The store agrees: every filtered event is on line 1 and not a ring event.
  const ok = await onApp(page, (h) => {
    const tr = h.trace();
    for (let i = 0; i < tr.filtered.length; i++) {
      const e = tr.get(tr.filtered.data[i] as number)!;
      if (e.line !== 1 || e.kind < 10) return false;
    }
    return tr.filtered.length > 0;
  });
  expect(ok).toBe(true);

  await page.getByLabel('Line filter').selectOption({ label: 'All lines' });
  await ring.click();
  await expect(page.getByTestId('trace-count')).toHaveText(before ?? '');
});

test('clicking a row, or Enter on the active row, moves the cursor to its time', async ({ page }) => {
  await runToEnd(page);
  // A row well inside the viewport (the pool also draws a few rows above and below it).
  const rowIndex = await firstRowInView(page, 2);
  const row = grid(page).locator(`.tl-rows [aria-rowindex="${rowIndex}"]`);
  await row.click();
  const expected = await onApp(page, (h, i) => {
    const tr = h.trace();
    return tr.timeOf(tr.filtered.data[i - 2] as number);
  }, rowIndex);
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).toBe(expected);
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(row).toHaveAttribute('data-cursor', '1');
  await expect(page.getByRole('button', { name: 'Follow newest' })).toHaveAttribute('aria-pressed', 'false');
  // Time travel: the snapshot arrives for that time.
  await expect.poll(() => onApp(page, (h) => h.live.snapshot?.t ?? null)).toBe(expected);

  // Keyboard: Home, two rows down, Enter.
  await grid(page).focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const third = await onApp(page, (h) => {
    const tr = h.trace();
    return tr.timeOf(tr.filtered.data[2] as number);
  });
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).toBe(third);
  const active = grid(page).locator('.tl-rows [aria-selected="true"]');
  await expect(active).toHaveAttribute('aria-rowindex', '4');
  const activeId = await active.getAttribute('id');
  await expect(grid(page)).toHaveAttribute('aria-activedescendant', activeId!);
  const rowCount = await onApp(page, (h) => h.trace().filtered.length + 1);
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(rowCount));

});

test('a cursor set on the waveform scrolls the list to the first event at or after it', async ({ page }) => {
  const wave = page.getByTestId('waveform');
  test.skip((await wave.count()) === 0, 'this build has no waveform canvas yet');
  await runToEnd(page);
  const box = (await wave.boundingBox())!;
  await wave.click({ position: { x: box.width * 0.35, y: box.height / 2 } });
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).not.toBeNull();
  const want = await onApp(page, (h) => h.trace().filteredIndexAt(h.state().cursor!) + 2);
  const marked = grid(page).locator('.tl-rows [data-cursor="1"]');
  await expect(marked).toHaveAttribute('aria-rowindex', String(want));
  await expect(marked).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Follow newest' })).toHaveAttribute('aria-pressed', 'false');
});

test('a spec violation row names the rule and its section, with the rule in its title', async ({ page }) => {
  await page.getByRole('button', { name: 'Type change without NONE (Linux direct, rust-vmm rejects)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Type change without NONE (Linux direct, rust-vmm rejects)');
  await runToEnd(page);
  await onlyCategories(page, ['check']);
  const v = dataRows(page).filter({ hasText: 'gpio.rq.type-change-via-none' }).first();
  await expect(v).toBeVisible();
  await expect(v).toContainText('VIOLATION gpio.rq.type-change-via-none (virtio 1.2 5.18.6.8)');
  await expect(v).toContainText('the driver first disables it (type NONE)');
  await expect(v).toHaveAttribute('data-flavor', 'violation');
  await v.hover(); // Tooltips are made when the pointer arrives.
  await expect(v).toHaveAttribute('title', /^gpio\.rq\.type-change-via-none: virtio 1\.2 5\.18\.6\.8 .*MUST, driver side\.\nTo change the trigger/s);
  // The oracle's spurious and lost labels are highlighted too.
  await expect(dataRows(page).filter({ hasText: 'SPURIOUS' }).first()).toHaveAttribute('data-flavor', 'spurious');
  await expect(dataRows(page).filter({ hasText: 'LOST' }).first()).toHaveAttribute('data-flavor', 'lost');
});

test('a million rows scroll with only a window of them in the DOM', async ({ page }) => {
  // Push a million synthetic line-level events straight into the trace store.
  await onApp(page, (h) => {
    const tr = h.trace();
    const n = 1_000_000;
    const first = tr.total;
    const t0 = tr.timeOf(first - 1) || 0;
    const cols = {
      firstSeq: first,
      t: new Float64Array(n),
      kind: new Uint8Array(n).fill(30),
      line: new Int16Array(n),
      a: new Int32Array(n),
      b: new Int32Array(n),
      c: new Int32Array(n),
    };
    for (let i = 0; i < n; i++) {
      cols.t[i] = t0 + 1000 * (i + 1);
      cols.line[i] = i % 3;
      cols.a[i] = i & 1;
    }
    tr.append(cols);
  });
  const total = await onApp(page, (h) => h.trace().filtered.length);
  expect(total).toBeGreaterThan(1_000_000);
  // The list follows to the newest row on the next frame (the running simulation sends one; its own
  // events now have seqs the store already holds, so they are skipped).
  const last = dataRows(page).last();
  await expect(last).toHaveAttribute('aria-rowindex', String(total + 1));
  await expect(page.getByTestId('trace-count')).toContainText('1,000,');
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(total + 1));
  const scroll = page.getByTestId('trace-scroll');
  const dom = async () => page.evaluate(() => document.querySelectorAll('.tl-rows .tl-row').length);
  expect(await dom()).toBeLessThan(80);
  // The spacer is capped under the browsers' maximum element height.
  const spacerH = await page.evaluate(() => document.querySelector<HTMLElement>('.tl-spacer')!.offsetHeight);
  expect(spacerH).toBeLessThanOrEqual(8_000_000);

  // Scroll to the middle: the rows there are drawn, and no more nodes exist.
  await scroll.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  await expect(page.getByRole('button', { name: 'Follow newest' })).toHaveAttribute('aria-pressed', 'false');
  await expect
    .poll(async () => Number(await dataRows(page).first().getAttribute('aria-rowindex')))
    .toBeGreaterThan(450_000);
  const mid = Number(await dataRows(page).first().getAttribute('aria-rowindex'));
  expect(mid).toBeLessThan(560_000);
  expect(await dom()).toBeLessThan(80);
  // The drawn rows are the right events: row k shows event filtered[k] (its time and text).
  const check = await onApp(page, (h) => {
    const tr = h.trace();
    const rows = [...document.querySelectorAll<HTMLElement>('.tl-rows .tl-row')].filter((r) => !r.hidden);
    const box = document.querySelector<HTMLElement>('.tl-scroll')!.getBoundingClientRect();
    let visible = 0;
    for (const r of rows) {
      const idx = Number(r.getAttribute('aria-rowindex')) - 2;
      const e = tr.get(tr.filtered.data[idx] as number)!;
      if (r.querySelector('.tl-text')!.textContent !== `line ${e.line} -> ${e.a} (world)`) return `row ${idx} shows the wrong event`;
      const rb = r.getBoundingClientRect();
      if (rb.bottom > box.top && rb.top < box.bottom) visible++;
    }
    // Consecutive, 20 px apart.
    for (let i = 1; i < rows.length; i++) {
      const d = rows[i]!.getBoundingClientRect().top - rows[i - 1]!.getBoundingClientRect().top;
      if (Math.abs(d - 20) > 0.5) return `rows ${i - 1} and ${i} are ${d} px apart`;
    }
    return visible > 3 ? 'ok' : `only ${visible} rows visible`;
  });
  expect(check).toBe('ok');

  // Keyboard End reaches the very last row, Home the first.
  await grid(page).focus();
  await page.keyboard.press('End');
  await expect(grid(page).locator('.tl-rows [aria-selected="true"]')).toHaveAttribute('aria-rowindex', String(total + 1));
  await expect(grid(page).locator('.tl-rows [aria-selected="true"]')).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(grid(page).locator('.tl-rows [aria-selected="true"]')).toHaveAttribute('aria-rowindex', '2');
  await expect(grid(page).locator('.tl-rows [aria-selected="true"]')).toBeInViewport();
  await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowDown');
  const idx = Number(await grid(page).locator('.tl-rows [aria-selected="true"]').getAttribute('aria-rowindex'));
  expect(idx).toBeGreaterThan(5);
  await expect(grid(page).locator('.tl-rows [aria-selected="true"]')).toBeInViewport();

  // Wheel scrolling works at this scale too.
  await scroll.hover();
  await page.mouse.wheel(0, 2000);
  await expect.poll(async () => Number(await dataRows(page).first().getAttribute('aria-rowindex'))).toBeGreaterThan(20);

  // Follow jumps back to the newest row.
  await page.getByRole('button', { name: 'Follow newest' }).click();
  await expect(dataRows(page).last()).toHaveAttribute('aria-rowindex', String(total + 1));
  await expect(dataRows(page).last()).toBeInViewport();
});
