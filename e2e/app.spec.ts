import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

async function openScenario(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Scenario library' }).getByRole('button', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

async function runToEnd(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
}

/** The Lines table cell of a counter for a line (the row's counter cells are del, lost, spur, coal). */
function counter(page: Page, line: number, which: 'lost' | 'spurious' | 'coalesced'): ReturnType<Page['locator']> {
  return page.locator(`.lines [role=row][data-line="${line}"] .count-${which}`);
}

test('the default scenario loads, runs and probes the device', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await expect.poll(() => onApp(page, (h) => h.live.view?.processed ?? 0)).toBeGreaterThan(20);
  // The probe's first message is GET_LINE_NAMES (kind 20 = a decoded request, a = type 1).
  await expect.poll(() => onApp(page, (h) => h.trace().get(0) !== null && Array.from({ length: 40 }, (_, i) => h.trace().get(i)).some((e) => e && e.kind === 20 && e.a === 1))).toBe(true);
});

test('driving an edge-triggered input makes a handler call; changing the trigger sends SET_IRQ_TYPE', async ({ page }) => {
  await page.goto('/');
  // The scenario's own timeline presses the button too: let it finish first, so only our press counts.
  await runToEnd(page);
  await expect.poll(() => onApp(page, (h) => h.live.view?.lines.armed[0] ?? 0)).toBe(1);
  const calls = (): Promise<number> => onApp(page, (h) => h.live.view!.lines.handlerCalls[0]!);
  const before = await calls();
  await page.getByRole('button', { name: 'Drive button' }).click(); // Pressing the active-low button: a falling edge.
  await expect.poll(calls).toBe(before + 1);
  await page.getByLabel('Trigger of button').selectOption('edge-both');
  // A SET_IRQ_TYPE request (kind 20, a = 6) for gpio 0 with value 3 (edge-both) reaches the device.
  await expect
    .poll(() =>
      onApp(page, (h) => {
        const t = h.trace();
        let n = 0;
        for (let s = t.firstSeq; s < t.total; s++) {
          const e = t.get(s);
          if (e && e.kind === 20 && e.a === 6 && e.line === 0 && e.b === 3) n++;
        }
        return n;
      }),
    )
    .toBe(1);
});

test('a still page stops asking for animation frames, and a change wakes it', async ({ page }) => {
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    const w = window as unknown as { __rafCalls: number };
    w.__rafCalls = 0;
    window.requestAnimationFrame = (cb) => {
      w.__rafCalls++;
      return raf(cb);
    };
  });
  await page.goto('/');
  await runToEnd(page);
  await expect.poll(() => onApp(page, (h) => h.live.view?.lines.armed[0] ?? 0)).toBe(1);
  const asked = (): Promise<number> => page.evaluate(() => (window as unknown as { __rafCalls: number }).__rafCalls);
  // Nothing moves once the run has ended: within a few frames nothing on the page asks for another.
  await expect
    .poll(async () => {
      const before = await asked();
      await page.waitForTimeout(250);
      return (await asked()) - before;
    })
    .toBe(0);
  // A change made now still reaches the page: the worker's next batch wakes the frame loop.
  const frame = await onApp(page, (h) => h.live.frame);
  const calls = await onApp(page, (h) => h.live.view!.lines.handlerCalls[0]!);
  await page.getByRole('button', { name: 'Drive button' }).click();
  await expect.poll(() => onApp(page, (h) => h.live.view!.lines.handlerCalls[0]!)).toBe(calls + 1);
  expect(await onApp(page, (h) => h.live.frame)).toBeGreaterThan(frame);
  expect(await asked()).toBeGreaterThan(0);
});

test('race scenarios show their lost, spurious and coalesced flags', async ({ page }) => {
  await page.goto('/');
  await openScenario(page, 'Masking with SET_IRQ_TYPE NONE loses an edge');
  await runToEnd(page);
  await expect(counter(page, 0, 'lost')).toHaveText('1');
  await openScenario(page, 'Level buffer re-queued before the client acknowledges');
  await runToEnd(page);
  await expect(counter(page, 0, 'spurious')).toHaveText('5');
  await openScenario(page, 'Two edges while away: one latch (spec)');
  await runToEnd(page);
  await expect(counter(page, 0, 'coalesced')).toHaveText('1');
});

test('the browser computes the same trace hash as the command line', async ({ page }) => {
  const cli = JSON.parse(execFileSync('node', ['bin/vgpio.mjs', 'run', 'edge-while-away', '--json'], { encoding: 'utf8' })) as { traceHash: string };
  await page.goto('/');
  await openScenario(page, 'An edge while the buffer is with the driver');
  await runToEnd(page);
  await expect(page.getByTestId('trace-hash')).toHaveText(cli.traceHash);
});

test('pause and step advance exactly one trace event, and make it the current one', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  // Step is one trace event (one arrow of the follow chart): the page is sent exactly one more.
  const shown = (): Promise<number> => onApp(page, (h) => h.live.trace.total);
  const current = (): Promise<number> => onApp(page, (h) => h.live.follow.current);
  await page.waitForTimeout(300);
  const before = await shown();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(shown).toBe(before + 1);
  await expect.poll(current).toBe(before);
  await page.waitForTimeout(500);
  expect(await shown()).toBe(before + 1);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(shown).toBe(before + 2);
  await expect.poll(current).toBe(before + 1);
  await expect(page.locator('.tl-rows .tl-row[data-current="1"]')).toHaveCount(1);
});

test('"Next IRQ" runs to the next handler call and pauses there', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const calls = (): Promise<number> => onApp(page, (h) => h.live.view!.lines.handlerCalls.reduce((a, b) => a + b, 0));
  await page.waitForTimeout(300);
  const before = await calls();
  await page.getByRole('button', { name: 'Next IRQ' }).click();
  await expect.poll(calls).toBe(before + 1);
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await page.waitForTimeout(500);
  expect(await calls()).toBe(before + 1);
});

test('a copied link, opened in a new page, replays the same run to the same trace hash', async ({ page, context }) => {
  await page.goto('/');
  await page.getByLabel('Speed').selectOption('max');
  await expect.poll(() => onApp(page, (h) => h.live.view?.lines.armed[0] ?? 0)).toBe(1);
  await page.getByRole('button', { name: 'Drive button' }).click();
  await page.getByLabel('Trigger of button').selectOption('edge-both');
  await page.getByRole('button', { name: 'Drive button' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  await page.waitForTimeout(200);
  const hash = await page.getByTestId('trace-hash').textContent();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('toast')).toContainText('It replays this run');
  const url = page.url();
  expect(url).toMatch(/#s1\./);

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('run-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(other.getByTestId('trace-hash')).toHaveText(hash as string);
  // The link carries the scenario with the three live actions as exact steps, plus the pause where it was shared.
  const recorded = await onApp(other, (h) => {
    // The scenario's file form is plain JSON (typed unknown on the protocol): read it with guards.
    const json = h.state().info?.json;
    const timeline: unknown[] = typeof json === 'object' && json !== null && 'timeline' in json && Array.isArray(json.timeline) ? json.timeline : [];
    return timeline.flatMap((s) => (typeof s === 'object' && s !== null && 'event' in s && 'do' in s ? [s.do] : []));
  });
  expect(recorded).toEqual(['press', 'irq-type', 'press', 'pause']);
});

test('corrupt, oversized and newer links say what is wrong, and the default scenario still loads', async ({ page }) => {
  await page.goto('/#s1.!!!not-base64!!!');
  await expect(page.getByTestId('load-error')).toContainText('This link cannot be opened');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');

  await page.goto(`/#s1.${'A'.repeat(9000)}`);
  await page.reload();
  await expect(page.getByTestId('load-error')).toContainText(/8 ?KB|8192|too long/i);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');

  await page.goto('/#s9.AAAA');
  await page.reload();
  await expect(page.getByTestId('load-error')).toContainText(/newer/i);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
});

test('when the worker dies a banner offers a restart that keeps the scenario and its steps', async ({ page }) => {
  await page.goto('/');
  await openScenario(page, 'An edge while the buffer is with the driver');
  await page.getByLabel('Speed').selectOption('max');
  await expect.poll(() => onApp(page, (h) => h.live.view?.lines.armed[0] ?? 0)).toBe(1);
  await page.getByRole('button', { name: 'Drive button' }).click();
  await expect.poll(() => onApp(page, (h) => h.live.steps.length)).toBe(1);
  await onApp(page, (h) => h.client.killWorkerForTest());
  const alert = page.getByRole('alert').filter({ hasText: 'The simulation worker stopped' });
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Restart the simulation' }).click();
  await expect(alert).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('An edge while the buffer is with the driver');
  await expect.poll(() => onApp(page, (h) => h.state().info!.recorded.length)).toBe(1);
  await expect.poll(() => onApp(page, (h) => h.live.view?.processed ?? 0)).toBeGreaterThan(10);
});

test('scenario text is shown as text, never as HTML', async ({ page }) => {
  const json = {
    version: 1,
    title: '<img src=x onerror="window.__pwned=1">',
    description: '<script>window.__pwned=2</script>',
    duration: '1ms',
    device: { lines: [{ name: '<b>x</b>' }] },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'vgpio-e2e-')), 'xss.json');
  writeFileSync(file, JSON.stringify(json));
  const link = execFileSync('node', ['bin/vgpio.mjs', 'link', file], { encoding: 'utf8' }).trim();
  await page.goto(`/${link.slice(link.indexOf('#'))}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(json.title);
  await expect(page.getByRole('table', { name: 'Lines' })).toContainText('<b>x</b>');
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
});

test('the page is usable from the keyboard', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  // Tab reaches the skip link first, then the run controls.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the lines' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /^(Pause|Run|Continue)$/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  // The detail tabs switch with the arrow keys.
  await page.getByRole('tab', { name: 'Trace' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Virtqueues' })).toHaveAttribute('aria-selected', 'true');
});

// The file reader loads when a file is picked (the page starts without it): both outcomes still arrive.
test('Open a scenario file… loads a picked scenario, and refuses a hostile one naming the file', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  const picker = page.getByLabel('Open a scenario file…');
  await picker.setInputFiles({ name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from('{"version":1,"device":{"__proto__":{"polluted":true}}}') });
  await expect(page.getByTestId('load-error')).toContainText('This file cannot be opened: evil.json: key "__proto__" is not allowed');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  const mine = { version: 1, title: 'My own board', description: 'One button.', seed: 1, duration: '1ms', device: { lines: [{ name: 'button', pull: 'up' }] } };
  await picker.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My own board');
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});
