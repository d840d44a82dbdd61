/**
 * The public API of the simulation core, the one door the worker, the CLI and
 * the UI use. The UI takes only what is pure and for display (vocabularies,
 * formatters, decoders, the link codec, the view types), never the machine.
 */

// Running a scenario.
export { Machine } from './machine';
export type { MachineConfig, RunStop } from './machine';
export { ACTION_KINDS, ActionOrigin, checkAction } from './actions';
export type { Action, ActionError, TimedAction } from './actions';
export { runScenario, buildReport, DEFAULT_MAX_EVENTS, PROGRESS_EVERY } from './scenario/runner';
export type { Report, LineReport, RunOptions } from './scenario/runner';

// Scenario files, links and the workspace.
export { loadScenario, validateScenario, resolveScenario, parseJsonSafely, scenarioSizeError, MAX_SCENARIO_BYTES, DEFAULT_LATENCY, DEFAULT_TRACE_CAPACITY } from './scenario/load';
export type { Result } from './scenario/load';
export { SCENARIO_VERSION } from './scenario/schema';
export type { Scenario, ScenarioInput } from './scenario/schema';
export { actionStep } from './scenario/steps';
export type { StepInput } from './scenario/steps';
export { Workspace } from './scenario/workspace';
export type { SettingsPatch } from './scenario/workspace';
export { LIBRARY, EXPLORE_LIBRARY, DEFAULT_SCENARIO_ID, libraryEntry } from './scenario/library/index';
export type { LibraryEntry } from './scenario/library/index';
// The ids and titles alone (the page lists them; the scenarios stay in the worker's bundle).
export { LIBRARY_CATALOG } from './scenario/library/catalog';
export type { CatalogEntry } from './scenario/library/catalog';
// Lessons: the data and the glossary import no validator (the page may list them);
// loading, anchors and checks validate, so only the CLI and the worker pull valibot in.
export { LESSONS, lessonEntry } from './scenario/lessons/library/index';
export type { LessonEntry } from './scenario/lessons/library/index';
export { GLOSSARY, glossaryEntry, termLinks, plainText } from './scenario/lessons/glossary';
export type { GlossaryEntry, TermLink } from './scenario/lessons/glossary';
export { LESSON_VERSION } from './scenario/lessons/version';
export type { Lesson, LessonInput, LessonStep, ChallengeStep, Anchor } from './scenario/lessons/schema';
export { loadLesson, validateLesson, builtInLesson } from './scenario/lessons/load';
export type { LoadedLesson } from './scenario/lessons/load';
export { findAnchor, resolveAnchors } from './scenario/lessons/anchor';
export type { AnchorPoint } from './scenario/lessons/anchor';
export { checkChallenge, settingsDiff } from './scenario/lessons/check';
export type { ChallengeResult } from './scenario/lessons/check';
export { applyAnswer, mergePatch } from './scenario/lessons/answer';
export { encodeLink, decodeLink, LINK_PREFIX, MAX_LINK_CHARS, DEFAULT_LINK_BASE } from './scenario/link';

// The interleaving explorer (docs/explore.md).
export { explore, EXPLORE_DEFAULTS, MAX_STATES } from './explore/explorer';
export type { ExploreOptions, ExploreResult, ExploreStop, Counterexample, ChoiceNote } from './explore/explorer';
export { parseProperty, describeProperty, PROPERTY_NAMES } from './explore/property';
export type { Property } from './explore/property';
export type { Schedule } from './explore/recorder';
export { visitedSetBytes } from './explore/visited';
// A correct board too big to exhaust: the benchmark's long search, and the app's cancel test.
export { default as THREE_LEVEL_TIMERS } from './explore/three-level-timers.json';
// The explorer split over a pool of workers (docs/explore.md, "The pool").
export { PoolSearch, prepareShard, runShard } from './explore/pool';
export type { PoolProgress, Shard, ShardJob, ShardOptions, SliceRecords } from './explore/pool';
export type { FingerprintSet } from './explore/visited';
export { unpackSchedules, slotCounterexamples } from './explore/pool';
export { PoolRandomSearch, runRandomShard, tryOf } from './explore/pool-random';
export type { RandomJob, RandomRecord } from './explore/pool-random';
export { firstFlag } from './explore/flag';
export type { FlagPoint } from './explore/flag';

// Readings and words.
export { makeView, linesView, deviceLinesView, queueViews, lineCounts, LINE_SOURCES, DESC_OWNERS, LINE_COUNT_KEYS } from './observe';
export type { View, LinesView, QueueView, TransportView, Totals, LineCounts } from './observe';
export { irqRoute, VIRQ_BASE } from './explain/route';
export type { RouteLayer } from './explain/route';
export { describeEvent, eventRecord, requestBytes } from './explain/describe';
export { SEQ_LANES, SEQ_LANE_TITLES, sequenceOf, lanesOf } from './explain/sequence';
export type { SeqLane, SeqMessage } from './explain/sequence';

// Why: the cause of every lost / spurious / coalesced label and masked / coalesced device result.
export { CAUSE, CAUSE_NAMES, CauseKind } from './trace/kinds';
export { EXPLAINED, CAUSE_RULE, MAX_CAUSES } from './check/causes';
export type { CauseRecord, CauseLink, Explained, LinkRole } from './check/causes';
export { readCauses, explainCause, causeSentence } from './explain/why';
export type { ExplainedCause, ChainItem } from './explain/why';
export { explainFlag, explainByReplay, parseSettings, ROLE_TEXT } from './explain/card';
export { isExplainable } from './explain/explainable';
export type { ExplanationCard, CardStep, CardSetting } from './explain/card';

// Settings in words: every policy and driver variant described, the policies a preset really runs with.
export { POLICY_INFO, DRIVER_INFO, DEVICE_INFO, effectivePolicies, isBooleanPolicy, policyText } from './gpio/policy-info';
export type { PolicyKey, DriverKey, SettingDescription, EffectivePolicy } from './gpio/policy-info';
export { changedSettings } from './scenario/settings-changed';

// Two runs side by side.
export { compareScenarios, applySetting, withSettings as scenarioWithSettings, COMPARED_COUNTS, COMPARE_TRACE_CAPACITY } from './scenario/compare';
export type { Comparison, CountDiff, LineDiff, CauseDiff, Divergence } from './scenario/compare';
export { compareView, settingsPatch, COMPARE_MAX_EVENTS, MAX_COMPARE_SETTINGS } from './scenario/compare-view';
export type { CompareView, CompareSide, CompareLane, CompareDivergence } from './scenario/compare-view';
export { parseHash, viewFields, scenarioHash } from './scenario/link-view';
export type { LinkView, ParsedHash, HashSource } from './scenario/link-view';

// Exports.
export { toVcd, vcdChunks, vcdShortStatesAt1us } from './export/vcd';
export { toWaveJson, waveJsonText } from './export/wavejson';
export type { VcdMode, VcdTimescale } from './export/vcd';
export { toJsonl, jsonlChunks } from './export/jsonl';
export { readRecording, recordingView, recordingCounts, recordingSizeError, RECORDING_MAX_BYTES, type Recording, type RecordingResult } from './export/recording';
export { exportRun } from './export/file';
export type { ExportFormat, ExportFile } from './export/file';

// The shell's terminal side.
export { LineEditor, sanitizeForTerminal } from './guest/line-editor';
export type { EditorAction } from './guest/line-editor';

// The trace and its vocabularies.
export { Trace } from './trace/trace';
export type { TraceColumns, TraceEvent } from './trace/trace';
export {
  TK,
  KINDS,
  KIND_NAMES,
  TRACE_CATEGORIES,
  categoryOf,
  DeliveryResult,
  DELIVERY,
  DELIVERY_NAMES,
  SinkState,
  SINK,
  SINK_NAMES,
  OracleLabel,
  ORACLE,
  ORACLE_NAMES,
  EventCause,
  EVENT_CAUSE,
  LevelCause,
  LEVEL_CAUSE,
  GpiomonMismatch,
  GPIOMON_MISMATCH,
} from './trace/kinds';
export type { TraceCategory } from './trace/kinds';
export { RULES } from './check/rules';
export type { Rule } from './check/rules';
export type { Violation } from './check/monitors';
export { formatNs, formatSecNs, parseDuration } from './clock/time';
export type { Vocabulary } from './vocabulary';

// virtio and virtio-gpio constants, for decoders.
export { IRQ_TYPES, IRQ_TYPE_NAMES, MSGS, MSG_NAMES, DIRECTIONS, DIRECTION_NAMES, STATUSES, IRQ_STATUSES, REQUESTQ, EVENTQ } from './gpio/constants';
export type { TriggerName } from './gpio/constants';
export {
  DESC_SIZE,
  DESC_ADDR,
  DESC_LEN,
  DESC_FLAGS,
  DESC_NEXT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_USED_F_NO_NOTIFY,
} from './virtio/constants';
export { Flag, FLAGS, flagNames } from './guest/gpio-driver';
export { Callback } from './guest/gpio-driver';
export { WARNING_TEXT } from './guest/warnings';
export { MAX_DURATION_NS, MAX_SHELL_COMMAND } from './actions';
export { MAX_STEPS } from './scenario/schema';
