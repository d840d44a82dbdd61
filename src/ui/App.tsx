import { Suspense, lazy, useEffect } from 'react';
import { Banners, Toast } from './components/Banners';
import { Header } from './components/Header';
import { LiveBanner, RecordingBanner } from './components/LiveBanner';
import { LearnBar, LearnSlot } from './components/LearnBar';
import { LinesBoard } from './components/LinesBoard';
import { Sidebar } from './components/Sidebar';
import { TraceList } from './components/TraceList';
import { Waveform } from './components/Waveform';
import { loadSequence } from './follow-current';
import { appActions, selectFollowOpen, selectTab, selectTheme, useApp, type Tab } from './store';

// xterm.js is large: it loads only when the terminal tab is first opened.
const TerminalPanel = lazy(() => import('./components/TerminalPanel'));
// Follow mode's chart loads when the mode is first switched on, with the mapping the other panels
// mark the current event by (so from its first event, every panel agrees).
const FollowPanel = lazy(() => Promise.all([import('./components/FollowPanel'), loadSequence()]).then(([m]) => ({ default: m.FollowPanel })));
// The ring inspector, with its descriptor decoding, loads with the Virtqueues tab.
const QueueInspector = lazy(() => import('./components/QueueInspector').then((m) => ({ default: m.QueueInspector })));
// The Compare panel, with its lanes' drawing, loads with its tab.
const ComparePanel = lazy(() => import('./components/ComparePanel').then((m) => ({ default: m.ComparePanel })));
// So does the Explore panel, with the explorer's core and its pool.
const ExplorePanel = lazy(() => import('./components/ExplorePanel'));

export const TABS: { id: Tab; label: string }[] = [
  { id: 'trace', label: 'Trace' },
  { id: 'queues', label: 'Virtqueues' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'compare', label: 'Compare' },
  { id: 'explore', label: 'Explore' },
];

function Tabs(): React.JSX.Element {
  const tab = useApp(selectTab);
  const onKey = (e: React.KeyboardEvent): void => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : -1;
    if (next >= 0) {
      appActions().setTab(TABS[next]!.id);
      document.getElementById(`tab-${TABS[next]!.id}`)?.focus();
    }
  };
  return (
    <section className="panel" style={{ borderBottom: 0 }}>
      <div className="tabs" role="tablist" aria-label="Details" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => appActions().setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <FollowToggle />
      <div className="tabpanel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'trace' && <TraceList />}
        {tab === 'queues' && (
          <Suspense fallback={<p className="readout">Loading the virtqueues…</p>}>
            <QueueInspector />
          </Suspense>
        )}
        {tab === 'compare' && (
          <Suspense fallback={<p className="readout">Loading the comparison…</p>}>
            <ComparePanel />
          </Suspense>
        )}
        {tab === 'terminal' && (
          <Suspense fallback={<p className="readout">Loading the terminal…</p>}>
            <TerminalPanel />
          </Suspense>
        )}
        {tab === 'explore' && (
          <Suspense fallback={<p className="readout">Loading the explorer…</p>}>
            <ExplorePanel />
          </Suspense>
        )}
      </div>
    </section>
  );
}

/** Opens the follow-mode chart (it sits between the waveform and these tabs, so all four panels show together). */
function FollowToggle(): React.JSX.Element {
  const open = useApp(selectFollowOpen);
  return (
    <button className="btn follow-toggle" role="switch" aria-checked={open} onClick={() => appActions().openFollow(!open)} title="A message sequence chart of the run, one event at a time">
      Follow mode
    </button>
  );
}

export function App(): React.JSX.Element {
  const theme = useApp(selectTheme);
  const followOpen = useApp(selectFollowOpen);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app">
      {/* The first Tab stop: past the header and the library, straight to the lines. An <a> that
          moves the focus itself: following "#main" would replace a share link in the address bar. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the lines
      </a>
      <Header />
      <div>
        <Banners />
        <LiveBanner />
        <RecordingBanner />
        <LearnBar />
      </div>
      <div className="body">
        <Sidebar />
        <main className="main" id="main" tabIndex={-1} data-follow={followOpen ? 'on' : undefined}>
          <LinesBoard />
          <Waveform />
          {followOpen && (
            <Suspense fallback={<p className="readout">Loading follow mode…</p>}>
              <FollowPanel />
            </Suspense>
          )}
          <Tabs />
        </main>
        <LearnSlot />
      </div>
      <Toast />
    </div>
  );
}
