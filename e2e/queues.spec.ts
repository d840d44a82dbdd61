import { expect, test, type Page } from '@playwright/test';
import { onApp } from './handle';

const queue = (page: Page, name: 'requestq' | 'eventq') => page.locator(`section[data-queue="${name}"]`);
const tip = (page: Page) => page.getByRole('tooltip');

async function runToEnd(page: Page): Promise<void> {
  await page.getByLabel('Speed').selectOption('max');
  await expect(page.getByTestId('run-status')).toHaveText('ended', { timeout: 30_000 });
}

async function openTab(page: Page, name: 'Trace' | 'Virtqueues'): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

test.beforeEach(async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A calm board');
});

test.afterEach(async ({ page }) => {
  expect((page as Page & { errors?: string[] }).errors).toEqual([]);
});

test('armed eventq buffers belong to the device; indices and hover decoding', async ({ page }) => {
  await runToEnd(page);
  await openTab(page, 'Virtqueues');
  const eq = queue(page, 'eventq');
  await expect(eq.getByRole('heading')).toContainText('eventq');
  // Lines 0 (button) and 1 (door-sensor) each have an armed eventq chain: gpio (readable) + status (writable).
  const held = eq.locator('tbody tr[data-owner="device"]');
  await expect(held).toHaveCount(4);
  await expect(held.locator('.qi-owner')).toHaveText(['device', 'device', 'device', 'device']);
  await expect(held.locator('td:last-child')).toHaveText(['0 button', '0 button', '1 door-sensor', '1 door-sensor']);
  await expect(held.nth(0).locator('td').nth(3)).toHaveText('NEXT');
  await expect(held.nth(1).locator('td').nth(3)).toHaveText('WRITE');
  await expect(held.nth(0).locator('td').nth(2)).toHaveText('2');
  await expect(held.nth(1).locator('td').nth(2)).toHaveText('1');

  // The ring indices are the view's.
  const q = await onApp(page, (h) => {
    const v = h.live.view!.queues.find((x) => x.name === 'eventq')!;
    return { avail: v.availIdx, used: v.usedIdx, nextAvail: v.deviceNextAvail, nextUsed: v.deviceNextUsed, lastUsed: v.driverLastUsed };
  });
  expect(q.avail).toBeGreaterThan(0);
  await expect(page.getByTestId('eventq-avail-idx')).toHaveText(String(q.avail));
  await expect(page.getByTestId('eventq-used-idx')).toHaveText(String(q.used));
  await expect(page.getByTestId('eventq-device-next-avail')).toHaveText(String(q.nextAvail));
  await expect(page.getByTestId('eventq-device-next-used')).toHaveText(String(q.nextUsed));
  await expect(page.getByTestId('eventq-driver-last-used')).toHaveText(String(q.lastUsed));
  // Everything made available was taken by the device, and everything used was taken back.
  await expect(eq.locator('.qi-ring li[data-pending="1"]')).toHaveCount(0);

  // Hover the readable descriptor: struct virtio_gpio_irq_request { le16 gpio }.
  await held.nth(0).hover();
  await expect(tip(page)).toBeVisible();
  await expect(tip(page)).toContainText('device-readable');
  await expect(tip(page)).toContainText('struct irq request');
  await expect(tip(page).locator('dt')).toHaveText(['gpio']);
  await expect(tip(page).locator('dd')).toHaveText(['0']);
  await expect(tip(page).locator('.qi-tip-bytes')).toHaveText('00 00');
  // The writable one: struct virtio_gpio_irq_response { u8 status }.
  await held.nth(1).hover();
  await expect(tip(page)).toContainText('struct irq response');
  await expect(tip(page).locator('dt')).toHaveText(['status']);
  await expect(tip(page).locator('dd')).toHaveText(/^[01] \((VALID|INVALID)\)$/);
  await expect(tip(page)).toContainText('the device has not written it yet');
  // Keyboard focus shows it too.
  await page.mouse.move(0, 0);
  await held.nth(2).focus();
  await expect(tip(page).locator('dd')).toHaveText(['1']);
  await expect(tip(page)).toContainText('line 1 door-sensor');
  await held.nth(2).blur();
  await expect(tip(page)).toBeHidden();
});

test('time travel shows a request with the device, then its names response in the used ring', async ({ page }) => {
  await runToEnd(page);
  const grid = page.getByRole('grid', { name: 'Trace events' });
  await page.getByLabel('Line filter').selectOption({ label: '0 button' });
  // Only the decoded messages.
  const group = page.getByRole('group', { name: 'Event categories shown' });
  for (const b of await group.getByRole('button').all()) {
    if ((await b.textContent()) !== 'msg' && (await b.getAttribute('aria-pressed')) === 'true') await b.click();
  }
  // The probe is at the top of the list.
  await grid.focus();
  await page.keyboard.press('Home');
  const row = (text: string) => grid.locator('.tl-rows').getByRole('row').filter({ hasText: text }).first();
  await row('GET_LINE_NAMES gpio 0 value 0').click();
  await expect.poll(() => onApp(page, (h) => h.live.snapshot?.t ?? null)).toBe(2000);

  await openTab(page, 'Virtqueues');
  await expect(page.getByTestId('qi-when')).toContainText('time travel');
  const rq = queue(page, 'requestq');
  const busy = rq.locator('tbody tr[data-owner="device"]');
  await expect(busy).toHaveCount(2);
  await expect(busy.locator('td:last-child')).toHaveText(['0 button', '0 button']);
  await busy.nth(0).hover();
  await expect(tip(page)).toContainText('struct request');
  await expect(tip(page).locator('dt')).toHaveText(['type', 'gpio', 'value']);
  await expect(tip(page).locator('dd')).toHaveText(['1 (GET_LINE_NAMES)', '0', '0']);
  await expect(tip(page).locator('.qi-tip-bytes')).toHaveText('01 00 00 00 00 00 00 00');
  await expect(page.getByTestId('requestq-device-next-avail')).toHaveText('1');
  await expect(page.getByTestId('requestq-avail-idx')).toHaveText('1');

  await openTab(page, 'Trace');
  // Back on the trace tab, the list shows the cursor's row; the answer is next to it.
  await expect(grid.locator('.tl-rows [data-cursor="1"]')).toContainText('GET_LINE_NAMES gpio 0 value 0');
  await row('device answers GET_LINE_NAMES').click();
  await expect.poll(() => onApp(page, (h) => h.live.snapshot?.t ?? null)).toBe(12_000);
  await openTab(page, 'Virtqueues');
  const used = rq.locator('tbody tr[data-owner="used"]');
  await expect(used).toHaveCount(2);
  // The used entry the driver has not taken back yet is marked: slot 0, chain 0, length 34.
  await expect(page.getByTestId('requestq-used-idx')).toHaveText('1');
  await expect(page.getByTestId('requestq-driver-last-used')).toHaveText('0');
  const pendingUsed = rq.locator('.qi-ring.used li[data-pending="1"]');
  await expect(pendingUsed).toHaveCount(1);
  await expect(pendingUsed.locator('.qi-val')).toHaveText('0/34');
  await used.nth(1).hover();
  await expect(tip(page)).toContainText('struct names');
  await expect(tip(page).locator('dd')).toHaveText(['0 (OK)', 'button␀door-sen…']);
  await expect(tip(page)).toContainText('GET_LINE_NAMES response: 1 + 33 bytes');

  // Another line's hierarchy, still at the cursor: at 12 us the driver has not configured it yet.
  await page.mouse.move(0, 0);
  await page.getByLabel('Line for the interrupt hierarchy').selectOption({ label: '1 door-sensor' });
  const route = page.getByTestId('qi-route');
  await expect(route.locator('.qi-layer-id').first()).toHaveText('gpio 1');
  await expect(route.locator('.qi-layer-state').first()).toHaveText(/^none, no buffer/);
  await expect(route.locator('.qi-layer').first()).toHaveAttribute('data-masked', '1');
  expect(await onApp(page, (h) => h.live.snapshot?.t)).toBe(12_000);
});

test('the interrupt hierarchy shows each layer of the selected line', async ({ page }) => {
  await runToEnd(page);
  await openTab(page, 'Virtqueues');
  const select = page.getByLabel('Line for the interrupt hierarchy');
  // The first line with an interrupt client.
  await expect(select).toHaveValue('0');
  const route = page.getByTestId('qi-route');
  await expect(route.locator('.qi-layer-name')).toHaveText(['device line', 'gpio irq_chip', 'line irq', 'eventq', 'transport']);
  await expect(route.locator('.qi-layer-id')).toHaveText(['gpio 0', 'hwirq 0', 'virq 40', 'vq 1', 'MSI-X vector 2']);
  await expect(route.locator('.qi-layer-mask')).toHaveText(['open', 'open', 'open', 'open', 'open']);
  await expect(route.locator('.qi-layer-state').first()).toHaveText('edge-falling, buffer held (armed), sink normal');

  await select.selectOption({ label: '1 door-sensor' });
  await expect(route.locator('.qi-layer-id')).toHaveText(['gpio 1', 'hwirq 1', 'virq 41', 'vq 1', 'MSI-X vector 2']);
  expect(await onApp(page, (h) => h.state().inspectLine)).toBe(1);
  await expect(route.locator('.qi-layer-state').first()).toContainText('level-high');

  // The LED line has no interrupt: its device layer is masked.
  await select.selectOption({ label: '2 status-led' });
  await expect(route.locator('.qi-layer-id').first()).toHaveText('gpio 2');
  await expect(route.locator('.qi-layer').first()).toHaveAttribute('data-masked', '1');
  await expect(route.locator('.qi-layer-mask').first()).toHaveText('masked');

  // The transport interrupt.
  await expect(page.getByTestId('qi-mode')).toHaveText('MSI-X');
  const raised = Number(await page.getByTestId('qi-raised').textContent());
  expect(raised).toBeGreaterThan(0);
});

test('an INTx transport shows its ISR, line state and GSI', async ({ page }) => {
  await page.getByRole('button', { name: 'Shared INTx line with an ISR register' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shared INTx line with an ISR register');
  await runToEnd(page);
  await openTab(page, 'Virtqueues');
  await expect(page.getByTestId('qi-mode')).toHaveText('INTx');
  await expect(page.locator('.qi-kv dd.qi-asserted')).toHaveText(/^(asserted|deasserted)$/);
  await expect(page.getByTestId('qi-route').locator('.qi-layer-id').last()).toHaveText('INTx GSI 11');
});

test('an intx-irqfd transport names its two parties in the route (seed 002)', async ({ page }) => {
  const title = 'INTx split between two parties: an assert lost to a late deassert (seed 002)';
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await runToEnd(page);
  await openTab(page, 'Virtqueues');
  await expect(page.getByTestId('qi-mode')).toHaveText('INTx via irqfd');
  const ids = page.getByTestId('qi-route').locator('.qi-layer-id');
  await expect(ids.nth(-2)).toHaveText('assert: back end -> eventfd -> KVM irqfd (GSI 11)');
  await expect(ids.last()).toHaveText('deassert: guest ISR read -> QEMU -> KVM');
});
