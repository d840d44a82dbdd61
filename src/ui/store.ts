import { create } from 'zustand';
import type { CompareView, TraceCategory } from '../sim/index';
import type { ExplanationCard, LessonCheck, LessonPoint, RunStatus, ScenarioInfo, Speed } from '../worker/protocol';
import { loadPrefs, savePrefs, type Theme } from './prefs';
import { loadProgress, saveProgress, withLesson, type LessonProgress, type Progress } from './lesson-progress';

export type Tab = 'trace' | 'queues' | 'terminal' | 'compare' | 'explore';
export type { Theme } from './prefs';

/**
 * UI state that changes at human speed (what is loaded, run status, selections,
 * banners). Simulation data that changes every frame lives in `live` instead.
 */
export interface AppData {
  info: ScenarioInfo | null;
  status: RunStatus;
  speed: Speed;
  /** A message for a link or file that could not be loaded. */
  loadError: string | null;
  /** A transient message (copied link, export ready, command error). */
  toast: string | null;
  workerDead: boolean;
  /** Time-travel cursor (ns), or null to follow the live run. */
  cursor: number | null;
  inspectLine: number | null;
  hiddenCategories: ReadonlySet<TraceCategory>;
  lineFilter: number | null;
  tab: Tab;
  theme: Theme;
  /** The Learn panel is open. */
  learnOpen: boolean;
  /** The projector layout: larger type, the lesson beside the panels. */
  lecture: boolean;
  /** The lesson being played and its step (index from 0), or null. */
  lesson: { id: string; step: number } | null;
  /** The worker's answer for the played lesson: each step's anchor, or why it cannot be played. */
  lessonRun: { id: string; points: (LessonPoint | null)[] | null; error: string } | null;
  /** The last challenge check of the played lesson (null: not checked yet, or checking). */
  lessonCheck: { id: string; result: LessonCheck | null; checking: boolean } | null;
  /** Every lesson's progress, as kept in the browser. */
  progress: Progress;
  /** The explanation card: the flag asked about (trace seq), the request, and the worker's answer (null while it comes). */
  card: { seq: number; req: number; data: ExplanationCard | null; error: string; loading: boolean } | null;
  /** The setting the settings panel opens at and focuses (a card's policy link), by path (`driver.mask`). */
  settingFocus: { path: string; n: number } | null;
  /** The selected trace event (a flag's row, any row clicked), by trace number; null: none. */
  selectedSeq: number | null;
  /**
   * "Compare with...": the second run's settings (dotted, as `vgpio diff --with`), the
   * comparison the worker made (null while it works or when it could not), and why not.
   * Null: no comparison.
   */
  compare: { settings: string[]; result: CompareView | null; error: string; busy: boolean } | null;
  /** The follow-mode panel (message sequence chart) is open. */
  followOpen: boolean;
}

/**
 * The one way to change the state: components and the worker client call these,
 * never `setState`. What the worker must hear about (the cursor, the inspected
 * line) is sent by store-sync.ts, which watches the state, not by the callers.
 */
export interface AppActions {
  /** Time travel to `t`, or back to the live run (null). */
  moveCursor(t: number | null): void;
  /** The line whose details (eventq buffer, queue rows) the panels show. */
  inspect(line: number | null): void;
  setTab(tab: Tab): void;
  setTheme(theme: Theme): void;
  /** Shows or hides one category of trace events. */
  toggleCategory(cat: TraceCategory): void;
  /** Shows the trace of one line only (null: all lines). */
  setLineFilter(line: number | null): void;
  /** A transient message (null clears it). */
  showToast(message: string | null): void;
  /** A link or file that could not be loaded (null dismisses it). */
  showLoadError(message: string | null): void;
  /** Another scenario is being loaded: back to the live run, no old load error. */
  loadStarted(): void;
  /** The worker loaded a scenario: its info, no cursor, no inspected line. */
  loaded(info: ScenarioInfo): void;
  /** The run's status and speed, as the worker reports them each frame. */
  runState(status: RunStatus, speed: Speed): void;
  workerDied(): void;
  workerRestarted(): void;
  openLearn(open: boolean): void;
  setLecture(on: boolean): void;
  /** Plays a lesson from a step (its scenario is loaded by the Learn panel), or stops playing (null). */
  playLesson(id: string | null, step?: number): void;
  /** Another step of the played lesson; remembered as the lesson's progress. */
  setLessonStep(step: number): void;
  lessonResolved(run: { id: string; points: (LessonPoint | null)[] | null; error: string }): void;
  /** A challenge check started (result null) or came back. A pass is remembered. */
  lessonChecked(id: string, result: LessonCheck | null): void;
  /** Remembers a lesson's progress (kept in the browser). */
  saveLessonProgress(id: string, change: Partial<LessonProgress>): void;
  /** Opens the explanation card of the flag with this trace seq (store-sync asks the worker). */
  openCard(seq: number): void;
  /** The worker's answer to an `explain` request (a stale one is dropped). */
  cardAnswered(req: number, card: ExplanationCard | null, error: string): void;
  closeCard(): void;
  /** Moves the cursor to an event, selects it and shows its row in the trace list (a card's step). */
  goToEvent(seq: number, t: number): void;
  /** Opens the settings panel at one setting. */
  focusSetting(path: string): void;
  /** Selects a trace event by its number (null: none). Call it after moveCursor, which clears the selection. */
  selectEvent(seq: number | null): void;
  /** Compares the session with a second run under these settings (compare-sync.ts asks the worker), or stops comparing (null). */
  compareWith(settings: string[] | null): void;
  /** The worker's answer to the request `asked` (the comparison state it was sent for; an answer to an older request is dropped). */
  compared(asked: AppData['compare'], result: CompareView | null, error: string): void;
  /** Opens or closes the follow-mode panel. */
  openFollow(open: boolean): void;
}

export type AppState = AppData & AppActions;

const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

export const useApp = create<AppState>()((set, get) => ({
  info: null,
  status: 'paused',
  speed: 0.001,
  loadError: null,
  toast: null,
  workerDead: false,
  cursor: null,
  inspectLine: null,
  hiddenCategories: new Set<TraceCategory>(),
  lineFilter: null,
  tab: 'trace',
  // A theme the viewer picked before (kept across reloads), else the system's.
  theme: loadPrefs().theme ?? (prefersDark ? 'dark' : 'light'),
  learnOpen: false,
  lecture: false,
  lesson: null,
  lessonRun: null,
  lessonCheck: null,
  progress: loadProgress(),
  card: null,
  settingFocus: null,
  selectedSeq: null,
  compare: null,
  followOpen: false,

  // A selected event belongs to the instant it was selected at: moving the cursor clears it (select after moving).
  moveCursor: (t) => set({ cursor: t, selectedSeq: null }),
  inspect: (line) => set({ inspectLine: line }),
  setTab: (tab) => set({ tab }),
  setTheme: (theme) => {
    savePrefs({ theme });
    set({ theme });
  },
  toggleCategory: (cat) => {
    const next = new Set(get().hiddenCategories);
    if (next.has(cat)) next.delete(cat);
    else next.add(cat);
    set({ hiddenCategories: next });
  },
  setLineFilter: (line) => set({ lineFilter: line }),
  showToast: (message) => set({ toast: message }),
  showLoadError: (message) => set({ loadError: message }),
  loadStarted: () => set({ cursor: null, loadError: null }),
  loaded: (info) => set({ info, cursor: null, inspectLine: null, card: null, selectedSeq: null }),
  runState: (status, speed) => {
    const s = get();
    if (s.status !== status || s.speed !== speed) set({ status, speed });
  },
  workerDied: () => set({ workerDead: true }),
  workerRestarted: () => set({ workerDead: false, toast: null }),
  openLearn: (open) => set({ learnOpen: open }),
  setLecture: (on) => set({ lecture: on }),
  playLesson: (id, step = 0) => {
    if (id === null) return set({ lesson: null, lessonRun: null, lessonCheck: null, lecture: false });
    const same = get().lesson?.id === id;
    set({ lesson: { id, step }, learnOpen: true, ...(same ? {} : { lessonRun: null, lessonCheck: null }) });
    get().saveLessonProgress(id, { step });
  },
  setLessonStep: (step) => {
    const l = get().lesson;
    if (!l || l.step === step) return;
    set({ lesson: { id: l.id, step } });
    get().saveLessonProgress(l.id, { step });
  },
  lessonResolved: (run) => {
    if (get().lesson?.id === run.id) set({ lessonRun: run });
  },
  lessonChecked: (id, result) => {
    if (get().lesson?.id !== id) return;
    set({ lessonCheck: { id, result, checking: result === null } });
    if (result?.passed) get().saveLessonProgress(id, { done: true });
  },
  saveLessonProgress: (id, change) => {
    const progress = withLesson(get().progress, id, change);
    set({ progress });
    saveProgress(progress);
  },
  openCard: (seq) => set({ card: { seq, req: (get().card?.req ?? 0) + 1, data: null, error: '', loading: true } }),
  cardAnswered: (req, data, error) => {
    const c = get().card;
    if (c && c.req === req) set({ card: { ...c, data, error, loading: false } });
  },
  closeCard: () => set({ card: null }),
  goToEvent: (seq, t) => set({ cursor: t, selectedSeq: seq, tab: 'trace' }),
  focusSetting: (path) => set({ settingFocus: { path, n: (get().settingFocus?.n ?? 0) + 1 } }),
  selectEvent: (seq) => set({ selectedSeq: seq }),
  compareWith: (settings) => set({ compare: settings === null ? null : { settings: [...settings], result: null, error: '', busy: true } }),
  compared: (asked, result, error) => {
    const c = get().compare;
    if (!c || c !== asked) return;
    set({ compare: { settings: c.settings, result, error, busy: false } });
  },
  openFollow: (open) => set({ followOpen: open }),
}));

/** The actions, for event handlers and non-React code (they never change, so no subscription is needed). */
export const appActions = (): AppActions => useApp.getState();

// Named selectors, so components subscribe to exactly what they show.
export const selectInfo = (s: AppState): ScenarioInfo | null => s.info;
export const selectStatus = (s: AppState): RunStatus => s.status;
export const selectSpeed = (s: AppState): Speed => s.speed;
export const selectCursor = (s: AppState): number | null => s.cursor;
export const selectTab = (s: AppState): Tab => s.tab;
export const selectInspectLine = (s: AppState): number | null => s.inspectLine;
export const selectTheme = (s: AppState): Theme => s.theme;
export const selectHiddenCategories = (s: AppState): ReadonlySet<TraceCategory> => s.hiddenCategories;
export const selectLineFilter = (s: AppState): number | null => s.lineFilter;
export const selectToast = (s: AppState): string | null => s.toast;
export const selectLoadError = (s: AppState): string | null => s.loadError;
export const selectWorkerDead = (s: AppState): boolean => s.workerDead;
export const selectLearnOpen = (s: AppState): boolean => s.learnOpen;
export const selectLecture = (s: AppState): boolean => s.lecture;
export const selectLesson = (s: AppState): AppData['lesson'] => s.lesson;
export const selectLessonRun = (s: AppState): AppData['lessonRun'] => s.lessonRun;
export const selectLessonCheck = (s: AppState): AppData['lessonCheck'] => s.lessonCheck;
export const selectProgress = (s: AppState): Progress => s.progress;
export const selectCard = (s: AppState): AppData['card'] => s.card;
export const selectSelectedSeq = (s: AppState): number | null => s.selectedSeq;
export const selectCompare = (s: AppState): AppData['compare'] => s.compare;
export const selectFollowOpen = (s: AppState): boolean => s.followOpen;
