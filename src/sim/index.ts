/**
 * The public API of the simulation core. The worker builds on all of it; the
 * UI may import only from this file, and only what is pure and for display
 * (formatters, decoders, constants, the link codec), never the machine itself.
 */
export { Machine } from './machine';
export type { MachineConfig, MachineStep, StepAction, RunStop } from './machine';
export { loadScenario, validateScenario, resolveScenario, parseJsonSafely, TRIGGER_CODES, MAX_SCENARIO_BYTES, DEFAULT_LATENCY } from './scenario/load';
export type { Result } from './scenario/load';
export { SCENARIO_VERSION, TRIGGERS } from './scenario/schema';
export type { Scenario, ScenarioInput } from './scenario/schema';
export { buildReport } from './scenario/runner';
export type { Report } from './scenario/runner';
export { LIBRARY, DEFAULT_SCENARIO_ID, libraryEntry } from './scenario/library/index';
export type { LibraryEntry } from './scenario/library/index';
export { encodeLink, decodeLink, LINK_PREFIX, MAX_LINK_CHARS } from './scenario/link';
export { toVcd } from './export/vcd';
export type { VcdMode } from './export/vcd';
export { toJsonl } from './export/jsonl';
export { Shell } from './guest/shell';
export { LineEditor, sanitizeForTerminal } from './guest/line-editor';
export type { EditorAction } from './guest/line-editor';
export { irqRoute, VIRQ_BASE } from './route';
export type { RouteLayer } from './route';
export { describeEvent, eventRecord, flagNames, requestBytes } from './trace/describe';
export { Trace } from './trace/trace';
export type { TraceColumns, TraceEvent } from './trace/trace';
export {
  TK,
  KIND_NAMES,
  TRACE_CATEGORIES,
  categoryOf,
  DeliveryResult,
  DELIVERY_NAMES,
  SinkState,
  SINK_NAMES,
  OracleLabel,
  ORACLE_NAMES,
  EventCause,
  LevelCause,
} from './trace/kinds';
export type { TraceCategory } from './trace/kinds';
export { RULES } from './check/rules';
export type { Rule } from './check/rules';
export type { Violation } from './check/monitors';
export { formatNs, formatSecNs, parseDuration } from './clock/time';
export { IRQ_TYPE_NAMES, MSG_NAMES, DIRECTION_NAMES } from './gpio/constants';
export { WARNING_TEXT } from './guest/warnings';
