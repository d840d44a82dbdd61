import { statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

/** The Learn panel (a complementary region named by its heading). */
const learn = (page: Page) => page.getByRole('complementary', { name: 'Learn' });

/** The time-travel cursor, and the anchor point of the step shown, from the store. */
const cursorAndAnchor = (page: Page) =>
  onApp(page, (h) => {
    const s = h.state();
    const p = s.lessonRun?.points?.[s.lesson?.step ?? -1] ?? null;
    return { cursor: s.cursor, anchor: p ? p.t : null };
  });

test('a new visitor starts lesson 1 from the first screen, answers a prediction, completes a challenge, and finds the progress kept after a reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('region', { name: 'Learn' }).getByRole('button', { name: 'Start lesson 1' }).click();

  // The lesson's own scenario is loaded; the first step's event is marked by the cursor.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A four-line device');
  await expect(learn(page).getByRole('heading', { name: 'What the device is: lines and the configuration space' })).toBeVisible();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 1 of 6');
  await expect(page).toHaveURL(/#lesson=device-and-config\/1$/);
  await expect.poll(async () => { const c = await cursorAndAnchor(page); return c.anchor !== null && c.cursor === c.anchor; }).toBe(true);

  // A glossary term in the narration: hovering shows its definition, Escape closes it.
  const term = learn(page).getByRole('button', { name: 'feature bits' });
  await term.hover();
  const tip = page.getByRole('tooltip');
  await expect(tip).toContainText('A capability the device offers');
  await expect(term).toHaveAccessibleDescription(/A capability the device offers/);
  await term.focus();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('tooltip')).toHaveCount(0);

  await learn(page).getByRole('button', { name: 'Next' }).click();
  await learn(page).getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 3 of 6');
  await expect(page).toHaveURL(/#lesson=device-and-config\/3$/);
  // The prediction must be answered before the run goes on: Next waits, no cursor yet.
  await expect(learn(page).getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect.poll(async () => (await cursorAndAnchor(page)).cursor).toBeNull();
  await learn(page).getByRole('button', { name: '5: the names, then one GET_DIRECTION per line' }).click();
  await expect(page.getByTestId('prediction-verdict')).toContainText('Right.');
  await expect(page.getByTestId('prediction-verdict')).toContainText('1 + ngpio');
  await expect(learn(page).getByRole('button', { name: 'Next' })).toBeEnabled();
  await expect.poll(async () => { const c = await cursorAndAnchor(page); return c.anchor !== null && c.cursor === c.anchor; }).toBe(true);
  // The board, the waveform and the panel (the library sidebar left out, to keep the picture small).
  await page.screenshot({ path: 'docs/learn.png', clip: { x: 250, y: 0, width: 1030, height: 800 } });
  expect(statSync('docs/learn.png').size).toBeLessThan(200_000);

  // A challenge whose reference solution is one driver setting: masking by NONE.
  await learn(page).getByRole('button', { name: '← All lessons' }).click();
  await learn(page).getByRole('button', { name: /Why masking by NONE loses edges/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/edge/i);
  await learn(page).getByRole('button', { name: 'Next' }).click();
  await learn(page).getByRole('button', { name: 'Next' }).click();
  await learn(page).getByRole('button', { name: 'dropped by the device: lost' }).click();
  await expect(page.getByTestId('prediction-verdict')).toContainText('Right.');
  await learn(page).getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 4 of 4');
  await learn(page).getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('challenge-verdict')).toHaveText(/^Not passed\. settings\.changes: expected 1 changed, got 0 changed/);
  await page.getByRole('button', { name: /Settings/ }).click();
  await page.getByRole('combobox', { name: 'mask', exact: true }).selectOption('none-type');
  await learn(page).getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('challenge-verdict')).toHaveText('Passed. You changed driver.mask.');

  await page.reload();
  // The URL still names the step; the list shows what was done.
  await expect(page.getByTestId('lesson-step')).toContainText('Step 4 of 4');
  await learn(page).getByRole('button', { name: '← All lessons' }).click();
  const item = (id: string) => learn(page).locator(`li[data-lesson="${id}"]`).getByTestId('lesson-progress');
  await expect(item('mask-by-none-loses-edges')).toHaveText(/^✓ done/);
  await expect(item('device-and-config')).toHaveText(/^step 3 of 6/);
  await expect(item('lazy-none')).toHaveText(/^not started/);
  // The answered prediction stays answered.
  await learn(page).getByRole('button', { name: /What the device is/ }).click();
  await expect(page.getByTestId('lesson-step')).toContainText('Step 3 of 6');
  await expect(page.getByTestId('prediction-verdict')).toContainText('Right.');
});

test('a lesson-step deep link opens at that step, and the address follows the steps', async ({ page }) => {
  await page.goto('/#lesson=edge-latch-coalescing/3');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 3 of 5');
  await expect(learn(page)).toContainText('The handler ends, the driver re-queues the buffer');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/edge/i);
  await expect.poll(async () => { const c = await cursorAndAnchor(page); return c.anchor !== null && c.cursor === c.anchor; }).toBe(true);
  await learn(page).getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/#lesson=edge-latch-coalescing\/4$/);
  await learn(page).getByRole('button', { name: 'Previous' }).click();
  await learn(page).getByRole('button', { name: 'Previous' }).click();
  await expect(page).toHaveURL(/#lesson=edge-latch-coalescing\/2$/);
  // A link to a lesson that does not exist says so.
  await page.goto('/#lesson=no-such-lesson/1');
  await expect(learn(page).getByRole('alert')).toHaveText('There is no lesson “no-such-lesson”.');
});

test('the glossary lists every entry and its terms are reachable from the board', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('region', { name: 'Learn' }).getByRole('button', { name: 'Learn', exact: true }).click();
  await learn(page).getByRole('button', { name: 'Glossary' }).click();
  const count = await onApp(page, () => document.querySelectorAll('.glossary dt').length);
  expect(count).toBeGreaterThan(50);
  await learn(page).getByPlaceholder('Filter terms…').fill('eventq');
  await expect(learn(page).locator('.glossary dt').first()).toBeVisible();
  // A column header of the lines board: focus shows the definition.
  const header = page.getByRole('columnheader', { name: 'coal' }).getByRole('button');
  await header.focus();
  await expect(page.getByRole('tooltip')).toContainText('coalesced');
});

test('the lecture view at 1024x768 shows the lesson text and every counter without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/#lesson=mask-by-none-loses-edges/1');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 1 of 4');
  await learn(page).getByRole('button', { name: 'Lecture view' }).click();
  await expect(learn(page)).toContainText('Here the driver masks the Linux way');
  // PageDown / PageUp move between steps.
  await page.locator('body').press('PageDown');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 2 of 4');
  await expect(page).toHaveURL(/#lesson=mask-by-none-loses-edges\/2$/);
  await expect.poll(async () => { const c = await cursorAndAnchor(page); return c.anchor !== null && c.cursor === c.anchor; }).toBe(true);
  await expect(learn(page)).toContainText('The second press comes during the handler');
  const layout = await onApp(page, () => {
    const vw = window.innerWidth;
    const inView = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.left >= 0 && r.right <= vw;
    };
    const cells = [...document.querySelectorAll('.lines [role=row][data-line] > :nth-last-child(-n+4)')];
    const scroller = document.querySelector('.lines')!.parentElement!;
    return {
      pageScroll: document.documentElement.scrollWidth - vw,
      boardScroll: scroller.scrollWidth - scroller.clientWidth,
      counters: cells.length,
      countersInView: cells.filter(inView).length,
      headerCounters: ['sim-time', 'sim-events'].map((id) => inView(document.querySelector(`[data-testid=${id}]`)!)),
      lessonInView: inView(document.querySelector('.learn-text')!),
      fontPx: parseFloat(getComputedStyle(document.querySelector('.learn-body')!).fontSize),
    };
  });
  expect(layout.pageScroll).toBeLessThanOrEqual(0);
  expect(layout.boardScroll).toBeLessThanOrEqual(0);
  expect(layout.counters).toBe(4); // edge-while-away has one line: del, lost, spur, coal
  expect(layout.countersInView).toBe(layout.counters);
  expect(layout.headerCounters).toEqual([true, true]);
  expect(layout.lessonInView).toBe(true);
  expect(layout.fontPx).toBeGreaterThanOrEqual(17);
  await page.screenshot({ path: 'docs/lecture-view.png' });
  expect(statSync('docs/lecture-view.png').size).toBeLessThan(200_000);
  await page.locator('body').press('PageUp');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 1 of 4');
});

test('a shell challenge: the reference command typed in the terminal after Start over passes the check', async ({ page }) => {
  await page.goto('/#lesson=edge-interrupt-end-to-end/6');
  await expect(page.getByTestId('lesson-step')).toContainText('Step 6 of 6');
  await expect(learn(page)).toContainText('Challenge:');
  await learn(page).getByRole('button', { name: 'Start over' }).click();
  await expect.poll(() => onApp(page, (h) => h.state().status)).toBe('paused');
  await page.getByRole('tab', { name: 'Terminal', exact: true }).click();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
  await page.keyboard.type('gpiomon -c gpiochip0 3 &');
  await page.keyboard.press('Enter');
  await expect.poll(() => onApp(page, (h) => h.live.recordedSteps)).toBe(1);
  await learn(page).getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('challenge-verdict')).toHaveText('Passed. You changed timeline.2.');
});
