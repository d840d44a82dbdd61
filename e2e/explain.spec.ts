import { statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

// Why it was lost: a click on the LOST flag of mask-by-none-loses-edge opens the explanation card
// (the dropped edge at its time, the SET_IRQ_TYPE NONE behind it, the policy), its steps move the
// cursor and select the row, the policy link opens the setting, the chain is drawn on the waveform,
// and the trace list opens the same card from the keyboard.

test.describe.configure({ timeout: 120_000 });

/** Marker kind and oracle label of a LOST flag on a trace-store lane (src/ui/trace-store.ts, trace/kinds.ts). */
const ORACLE_MARK = 6;
const LOST = 3;

async function loadMaskByNone(page: Page): Promise<void> {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
  await page.getByRole('button', { name: 'Masking with SET_IRQ_TYPE NONE loses an edge' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Masking with SET_IRQ_TYPE NONE loses an edge');
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
  await expect.poll(() => onApp(page, (h) => h.live.trace.total === h.live.traceTotal)).toBe(true);
}

/** The LOST flags on lane 0: their times and trace seqs, as the waveform holds them. */
function lostFlags(page: Page): Promise<{ t: number; seq: number }[]> {
  return onApp(
    page,
    (h, a) => {
      const lane = h.trace().lanes[0]!;
      const out: { t: number; seq: number }[] = [];
      for (let i = 0; i < lane.markT.length; i++) {
        if (lane.markKind.data[i] === a.kind && lane.markArg.data[i] === a.label) out.push({ t: lane.markT.data[i]!, seq: lane.markSeq.data[i]! });
      }
      return out;
    },
    { kind: ORACLE_MARK, label: LOST },
  );
}

/** Clicks the waveform at time t on lane `line`, in its flag strip. */
async function clickWaveform(page: Page, line: number, t: number): Promise<void> {
  const canvas = page.getByTestId('waveform');
  const at = await canvas.evaluate(
    (c: HTMLCanvasElement, a: { line: number; t: number }) => {
      const d = c.dataset;
      const gutter = Number(d['gutter']);
      const x = gutter + ((a.t - Number(d['t0'])) / Number(d['span'])) * (c.clientWidth - gutter);
      const y = Number(d['axisH']) + a.line * Number(d['laneH']) - Number(d['scrollY']) + 5;
      return { x, y };
    },
    { line, t },
  );
  await canvas.click({ position: at });
}

test('the LOST flag explains itself: the edge at its time, SET_IRQ_TYPE NONE, driver.mask; a step moves the cursor there', async ({ page }) => {
  await loadMaskByNone(page);
  const lost = await lostFlags(page);
  expect(lost).toHaveLength(1);
  expect(lost[0]!.t).toBe(1_550_000);
  await clickWaveform(page, 0, lost[0]!.t);

  const card = page.getByRole('dialog', { name: 'Why: LOST on gpio 0 at 1.55 ms' });
  await expect(card).toBeVisible();
  await expect(card).toBeFocused();
  await expect(card.getByTestId('explain-sentence')).toContainText('the falling edge at 1.050 ms on gpio 0 was lost: the device dropped it');
  await expect(card.getByTestId('explain-sentence')).toContainText('it sent SET_IRQ_TYPE NONE at 1.008 ms from irq_mask');
  await expect(card).toContainText('cause masked-by-none');
  await expect(card).toContainText("judged lost 500 us after it was owed, once the line's pipeline was idle");
  await expect(card).toContainText('Spec: virtio 1.2 section 5.18.6.9 (gpio.irq.disable-discards-latch');
  const steps = card.getByRole('list', { name: 'The chain of events, oldest first' }).getByRole('button');
  await expect(steps).toHaveText([
    '1.008 ms the driver sent: driver sends SET_IRQ_TYPE none for gpio 0 (from irq_mask)',
    '1.02 ms the trigger type changed: device: gpio 0 trigger edge-falling -> none',
    '1.05 ms owed to the client: line 0 -> 0 (world)',
    '1.05 ms what the device did: device: falling edge on gpio 0: masked; sink now masked',
    '1.55 ms the flag: oracle: 1 owed interrupt on gpio 0 LOST',
  ]);
  // The chain is drawn on the waveform: from the dropped edge to the flag.
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-chain', '1050000-1550000');

  // The edge step: the cursor moves to the edge's time and its trace row is selected.
  await steps.nth(2).click();
  await expect.poll(() => onApp(page, (h) => h.state().cursor)).toBe(1_050_000);
  await expect(page.getByTestId('waveform-cursor')).toHaveText('cursor 1.05 ms');
  await expect(page.getByRole('row', { selected: true })).toContainText('line 0 -> 0 (world)');

  // The policy link opens the settings panel at driver.mask, which shows none-type.
  await card.getByRole('button', { name: 'driver.mask = none-type' }).click();
  const mask = page.locator('[id="setting-driver.mask"]');
  await expect(mask).toBeFocused();
  await expect(mask).toHaveValue('none-type');
});

test('from the keyboard: a flag row and Enter open the card (time travel on), Escape closes it and gives the focus back', async ({ page }) => {
  await loadMaskByNone(page);
  // Only the checks: the oracle's labels.
  for (const cat of ['ring', 'transport', 'msg', 'line', 'device', 'driver', 'handler', 'step']) await page.locator(`.tl-cat-btn[data-cat="${cat}"]`).click();
  const grid = page.getByRole('grid', { name: 'Trace events' });
  // A cursor in the past first: the card works in time travel too.
  await onApp(page, (h) => h.state().moveCursor(1_200_000));
  await grid.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 20; i++) {
    if ((await page.getByRole('row', { selected: true }).textContent())?.includes('LOST')) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.getByRole('row', { selected: true })).toContainText('oracle: 1 owed interrupt on gpio 0 LOST');
  await page.keyboard.press('Enter');
  const card = page.getByRole('dialog', { name: 'Why: LOST on gpio 0 at 1.55 ms' });
  await expect(card).toBeFocused();
  await expect(card.getByTestId('explain-sentence')).toContainText('the falling edge at 1.050 ms');
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await expect(grid).toBeFocused();
  // Escape in the card closed only the card: the cursor stays where the row put it.
  expect(await onApp(page, (h) => h.state().cursor)).toBe(1_550_000);
});

test('README screenshot: the explanation card beside the waveform with the chain drawn (docs/img/explanation-card.png)', async ({ page }) => {
  await loadMaskByNone(page);
  const [lost] = await lostFlags(page);
  await clickWaveform(page, 0, lost!.t);
  const card = page.getByRole('dialog', { name: 'Why: LOST on gpio 0 at 1.55 ms' });
  await expect(card.getByTestId('explain-sentence')).toBeVisible();
  await card.getByRole('button', { name: /^1\.05 ms owed to the client/ }).click();
  await expect(page.getByTestId('waveform-cursor')).toHaveText('cursor 1.05 ms');
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-chain', '1050000-1550000');
  await page.mouse.move(0, 0); // no hover tooltip in the picture
  await page.screenshot({ path: 'docs/img/explanation-card.png' });
  expect(statSync('docs/img/explanation-card.png').size).toBeLessThan(400_000);
});
