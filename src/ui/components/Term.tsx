import { Suspense, lazy, useId, useState, type ReactNode } from 'react';

// The glossary's text is not needed to draw the first screen: the tooltip and the glossary load apart.
const loadTip = (): Promise<typeof import('./TermTip')> => import('./TermTip');
const TermTip = lazy(loadTip);

/** Fetches the tooltip and the glossary ahead of the first hover (called once the page is idle). */
export function preloadTerms(): void {
  void loadTip();
}

/**
 * A word with a glossary entry (`k`: an id, term or alias): hovering or
 * focusing it shows the definition (a tooltip the button is described by),
 * Escape or leaving closes it. Used for [[term]] links in lesson text and on
 * the badges, legend items and column headers (glossary-coverage.test.ts
 * proves every such label has an entry). `focusable={false}` for words
 * repeated in every row (the row badges) and for column headers: they stay out
 * of the Tab order (a table is one Tab stop), and the same terms are reachable
 * from the keyboard through the waveform legend and the glossary view.
 */
export function Term({ k, children, focusable = true }: { k: string; children?: ReactNode; focusable?: boolean }): React.JSX.Element {
  const id = useId();
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  const [used, setUsed] = useState(false);
  const show = (el: HTMLElement): void => {
    // Fixed to the viewport: the panels clip and scroll, the tooltip must not be cut off.
    const r = el.getBoundingClientRect();
    const width = Math.min(320, window.innerWidth - 16);
    setAt({ left: Math.max(8, Math.min(r.left, window.innerWidth - width - 8)), top: r.bottom + 4 });
    setUsed(true);
  };
  return (
    <span className="term-wrap">
      <button
        type="button"
        className="term"
        tabIndex={focusable ? 0 : -1}
        aria-describedby={id}
        data-term={k}
        onMouseEnter={(e) => show(e.currentTarget)}
        onMouseLeave={() => setAt(null)}
        onFocus={(e) => show(e.currentTarget)}
        onBlur={() => setAt(null)}
        onClick={(e) => {
          // A click must not also act on what the term sits in (a row, the trace list).
          e.stopPropagation();
          if (at) setAt(null);
          else show(e.currentTarget);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && at) {
            e.stopPropagation();
            setAt(null);
          }
        }}
      >
        {children ?? k}
      </button>
      {used && (
        <Suspense fallback={null}>
          <TermTip id={id} k={k} at={at} />
        </Suspense>
      )}
    </span>
  );
}
