import { expect, test, type Page } from '@playwright/test';

// The page fits the screens it is used on, from a 1024x700 projector to a wide monitor: no
// horizontal scroll of the page, the header on one line, every counter of the lines table fully
// visible, the settings inside the sidebar. Screenshots go to the test output folder (test-results).

test.describe.configure({ timeout: 120_000 });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 2560, height: 1440 },
] as const;

interface Fit {
  pageOverflowX: number;
  headerOverflowX: number;
  headerHeight: number;
  linesOverflowX: number;
  /** Counter and header cells whose text is cut (ellipsis) or outside the panel, and state badges cut by their cell. */
  clipped: string[];
  /** Line names cut short. */
  truncatedNames: string[];
  sidebarOverflowX: number;
  settingsOutside: string[];
}

async function measure(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const over = (el: Element | null): number => (el ? el.scrollWidth - el.clientWidth : -1);
    const scroller = document.querySelector('.lines-panel .scroll') as HTMLElement;
    const box = scroller.getBoundingClientRect();
    const clipped: string[] = [];
    const cells = document.querySelectorAll<HTMLElement>('.lines [role=row] > .num, .lines [role=columnheader]');
    for (const c of cells) {
      const r = c.getBoundingClientRect();
      const row = c.closest('[role=row]') as HTMLElement;
      if (r.bottom <= box.top || r.top >= box.bottom) continue; // Scrolled out vertically: not on screen.
      if (c.scrollWidth > c.clientWidth || r.left < box.left - 0.5 || r.right > box.right + 0.5) {
        clipped.push(`${row.dataset['line'] ?? 'head'}:${c.textContent}`);
      }
    }
    // The state badges fit their cell too.
    for (const b of document.querySelectorAll<HTMLElement>('.lines [role=row][data-line] .badges')) {
      const cell = b.parentElement as HTMLElement;
      const r = cell.getBoundingClientRect();
      if (r.bottom <= box.top || r.top >= box.bottom) continue;
      if (b.getBoundingClientRect().right > r.right + 0.5) clipped.push(`${(cell.closest('[role=row]') as HTMLElement).dataset['line']}:badges`);
    }
    const names = [...document.querySelectorAll<HTMLElement>('.lines [role=row][data-line] > :nth-child(2)')];
    const sidebar = document.querySelector('.sidebar') as HTMLElement;
    const sb = sidebar.getBoundingClientRect();
    const settingsOutside = [...document.querySelectorAll<HTMLElement>('.settings fieldset, .settings select, .settings input')]
      .filter((el) => el.getBoundingClientRect().right > sb.right - (sidebar.offsetWidth - sidebar.clientWidth) + 0.5)
      .map((el) => el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? el.tagName);
    return {
      pageOverflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      headerOverflowX: over(document.querySelector('.header')),
      headerHeight: Math.round((document.querySelector('.header') as HTMLElement).getBoundingClientRect().height),
      linesOverflowX: over(scroller),
      clipped,
      truncatedNames: names.filter((n) => n.scrollWidth > n.clientWidth).map((n) => n.textContent ?? ''),
      sidebarOverflowX: over(sidebar),
      settingsOutside,
    };
  });
}

for (const size of SIZES) {
  test(`the page fits ${size.width}x${size.height}: no page scroll, every counter visible`, async ({ page }, info) => {
    await page.setViewportSize(size);
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('max');
    await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('group', { name: 'Device' })).toBeVisible();
    await page.screenshot({ path: info.outputPath(`layout-${size.width}x${size.height}.png`) });
    const fit = await measure(page);
    console.log(`layout ${size.width}x${size.height}: ${JSON.stringify(fit)}`);
    expect(fit.pageOverflowX).toBe(0);
    expect(fit.headerOverflowX).toBe(0);
    expect(fit.headerHeight).toBeLessThan(48); // One line of controls.
    expect(fit.linesOverflowX).toBe(0);
    expect(fit.clipped).toEqual([]);
    expect(fit.sidebarOverflowX).toBe(0);
    expect(fit.settingsOutside).toEqual([]);
    if (size.width >= 1920) expect(fit.truncatedNames).toEqual([]);
  });
}
