/**
 * The board `vgpio guest` boots on when no scenario is given: eight named
 * lines (the names exercise GET_LINE_NAMES), pulls on two, and a 100 ms clock
 * on line 7 so that gpiomon in the guest has edges to report.
 */
export const GUEST_BOARD_ID = 'guest-board';

export const GUEST_BOARD = {
  version: 1,
  title: 'Real-guest board',
  description:
    'Eight lines for a real Linux guest: led0 and led1 for gpioset, button (pulled up) and door (pulled down) for gpioget, a relay, two sensors, and a 100 ms clock on line 7 for gpiomon.',
  seed: 1,
  duration: '1s',
  device: {
    lines: [
      { name: 'led0' },
      { name: 'led1' },
      { name: 'button', pull: 'up' },
      { name: 'door', pull: 'down' },
      { name: 'relay' },
      { name: 'sensor-a' },
      { name: 'sensor-b' },
      { name: 'clock' },
    ],
  },
  world: {
    clock: { kind: 'clock', period: '100ms' },
  },
} as const;
