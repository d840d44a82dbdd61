/**
 * Kernel messages and WARN()s of the modelled guest, traced as DrvWarn events.
 * The texts follow what Linux gpio-virtio.c, gpiolib and virtio_ring print.
 */
export const DriverWarning = {
  PrepareWarn: 1,
  EventqAddFailed: 2,
  RequestqAddFailed: 3,
  RequestFailed: 4,
  IncorrectLen: 5,
  IrqIncorrectLen: 6,
  IrqBadStatus: 7,
  UnsupportedType: 8,
  QueueBroken: 9,
  ProbeFailed: 10,
  ConfigChange: 11,
  GpioTiedToIrq: 12,
  NamesTooShort: 13,
  GetNamesFailed: 14,
} as const;

export const WARNING_TEXT: Record<number, string> = {
  1: 'WARNING: virtio_gpio_irq_prepare: WARN_ON(queued || masked || disabled); buffer not queued',
  2: 'failed to add request to eventq',
  3: 'failed to add request to vq',
  4: 'GPIO request failed',
  5: 'GPIO operation returned incorrect len',
  6: 'irq with incorrect length',
  7: 'WARNING: ignore_irq: WARN_ON(status != VIRTIO_GPIO_IRQ_STATUS_VALID)',
  8: 'unsupported irq type',
  9: 'virtqueue broken (used id is not a head)',
  10: 'probe failed',
  11: 'configuration change interrupt: the driver has no config_changed handler (device status unchanged to the driver)',
  12: 'tried to set a GPIO tied to an IRQ as output',
  13: 'gpio_names block is too short',
  14: 'Failed to get GPIO names',
};

export const EINVAL = -22;
export const ENOSPC = -28;
export const EIO = -5;
export const EBUSY = -16;
export const ENODEV = -19;
export const ENXIO = -6;
