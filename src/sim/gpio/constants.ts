/**
 * virtio-gpio constants and struct layouts (virtio 1.2 section 5.18; the V8
 * patch in seeds/004 uses the same values). Names follow the spec; the Linux
 * header calls GET_LINE_NAMES "GET_NAMES" and SET_IRQ_TYPE "IRQ_TYPE".
 */

import { vocabulary } from '../vocabulary';

export const VIRTIO_ID_GPIO = 41;

/** Feature bit 0 (5.18.3): the device supports interrupts; enables the eventq. */
export const VIRTIO_GPIO_F_IRQ = 0;

export const REQUESTQ = 0;
export const EVENTQ = 1;

// Message types (5.18.6).
export const MSG_GET_LINE_NAMES = 1;
export const MSG_GET_DIRECTION = 2;
export const MSG_SET_DIRECTION = 3;
export const MSG_GET_VALUE = 4;
export const MSG_SET_VALUE = 5;
export const MSG_SET_IRQ_TYPE = 6;

export const MSGS = vocabulary({
  GET_LINE_NAMES: MSG_GET_LINE_NAMES,
  GET_DIRECTION: MSG_GET_DIRECTION,
  SET_DIRECTION: MSG_SET_DIRECTION,
  GET_VALUE: MSG_GET_VALUE,
  SET_VALUE: MSG_SET_VALUE,
  SET_IRQ_TYPE: MSG_SET_IRQ_TYPE,
});
export const MSG_NAMES = MSGS.byCode;

// Response status (5.18.6).
export const STATUS_OK = 0;
export const STATUS_ERR = 1;
export const STATUSES = vocabulary({ OK: STATUS_OK, ERR: STATUS_ERR });

// Directions (5.18.6).
export const DIRECTION_NONE = 0;
export const DIRECTION_OUT = 1;
export const DIRECTION_IN = 2;

export const DIRECTIONS = vocabulary({ none: DIRECTION_NONE, out: DIRECTION_OUT, in: DIRECTION_IN });
export const DIRECTION_NAMES = DIRECTIONS.byCode;

// Interrupt trigger types (5.18.6).
export const IRQ_TYPE_NONE = 0;
export const IRQ_TYPE_EDGE_RISING = 1;
export const IRQ_TYPE_EDGE_FALLING = 2;
export const IRQ_TYPE_EDGE_BOTH = 3;
export const IRQ_TYPE_LEVEL_HIGH = 4;
export const IRQ_TYPE_LEVEL_LOW = 8;

/** The trigger types by the names scenario files, the shell and the UI use. */
export const IRQ_TYPES = vocabulary({
  none: IRQ_TYPE_NONE,
  'edge-rising': IRQ_TYPE_EDGE_RISING,
  'edge-falling': IRQ_TYPE_EDGE_FALLING,
  'edge-both': IRQ_TYPE_EDGE_BOTH,
  'level-high': IRQ_TYPE_LEVEL_HIGH,
  'level-low': IRQ_TYPE_LEVEL_LOW,
});
export type TriggerName = (typeof IRQ_TYPES.names)[number];
export const IRQ_TYPE_NAMES = IRQ_TYPES.byCode;

export function isValidIrqType(t: number): boolean {
  return t === 0 || t === 1 || t === 2 || t === 3 || t === 4 || t === 8;
}
export function isEdgeType(t: number): boolean {
  return t === IRQ_TYPE_EDGE_RISING || t === IRQ_TYPE_EDGE_FALLING || t === IRQ_TYPE_EDGE_BOTH;
}
export function isLevelType(t: number): boolean {
  return t === IRQ_TYPE_LEVEL_HIGH || t === IRQ_TYPE_LEVEL_LOW;
}
/** Does a transition from `from` to `to` qualify under edge type `t`? */
export function edgeQualifies(t: number, from: number, to: number): boolean {
  if (from === to) return false;
  if (t === IRQ_TYPE_EDGE_BOTH) return true;
  if (t === IRQ_TYPE_EDGE_RISING) return to === 1;
  if (t === IRQ_TYPE_EDGE_FALLING) return to === 0;
  return false;
}
/** Is `level` the active level for level type `t`? */
export function levelActive(t: number, level: number): boolean {
  return (t === IRQ_TYPE_LEVEL_HIGH && level === 1) || (t === IRQ_TYPE_LEVEL_LOW && level === 0);
}

// eventq response status (5.18.7). A zeroed buffer reads as INVALID.
export const IRQ_STATUS_INVALID = 0;
export const IRQ_STATUS_VALID = 1;
export const IRQ_STATUSES = vocabulary({ INVALID: IRQ_STATUS_INVALID, VALID: IRQ_STATUS_VALID });

// struct virtio_gpio_config (5.18.4): le16 ngpio, u8 padding[2], le32 gpio_names_size.
export const CONFIG_SIZE = 8;
export const CONFIG_NGPIO = 0;
export const CONFIG_PADDING = 2;
export const CONFIG_NAMES_SIZE = 4;

// struct virtio_gpio_request: le16 type, le16 gpio, le32 value.
export const REQUEST_SIZE = 8;
export const REQUEST_TYPE = 0;
export const REQUEST_GPIO = 2;
export const REQUEST_VALUE = 4;

// struct virtio_gpio_response: u8 status, u8 value. GET_LINE_NAMES uses 1 + N bytes.
export const RESPONSE_SIZE = 2;
export const RESPONSE_STATUS = 0;
export const RESPONSE_VALUE = 1;

// struct virtio_gpio_irq_request: le16 gpio. struct virtio_gpio_irq_response: u8 status.
export const IRQ_REQUEST_SIZE = 2;
export const IRQ_REQUEST_GPIO = 0;
export const IRQ_RESPONSE_SIZE = 1;
export const IRQ_RESPONSE_STATUS = 0;
