import { useEffect, useRef } from 'react';
import { RULES, formatNs } from '../../sim/index';
import { appActions, selectCard, useApp } from '../store';

/** Where the focus was when the card opened: Escape and Close give it back. */
let opener: HTMLElement | null = null;

/**
 * Why a flag happened: the cause the core recorded for it, asked of the
 * worker when the card opens (a click or Enter on a flag on the waveform or
 * in the trace). The sentence, the chain as steps that move the cursor and
 * select the event's row, the settings behind it as links into the settings
 * panel, the spec section, and when a lost flag was judged. All text is
 * React text, never HTML.
 */
export function ExplainCard(): React.JSX.Element | null {
  const card = useApp(selectCard);
  const ref = useRef<HTMLElement>(null);
  const req = card?.req;
  useEffect(() => {
    if (req === undefined) return;
    const active = document.activeElement;
    if (active instanceof HTMLElement && !ref.current?.contains(active)) opener = active;
    ref.current?.focus();
  }, [req]);
  if (!card) return null;
  const close = (): void => {
    appActions().closeCard();
    if (opener?.isConnected) opener.focus();
    opener = null;
  };
  const d = card.data;
  const title = d ? `${d.flag} on gpio ${d.line} at ${formatNs(d.t)}` : 'this flag';
  const rule = d?.rule ? RULES.find((r) => r.id === d.rule) : undefined;
  return (
    <section
      ref={ref}
      className="xcard"
      role="dialog"
      aria-modal="false"
      aria-labelledby="xcard-heading"
      tabIndex={-1}
      data-testid="explain-card"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <div className="xcard-head">
        <h2 id="xcard-heading">Why: {title}</h2>
        <button className="btn" aria-label="Close the explanation (Escape)" title="Close (Escape)" onClick={close}>
          ×
        </button>
      </div>
      {card.loading && <p className="readout">Looking up the cause…</p>}
      {!card.loading && !d && <p className="readout">{card.error}</p>}
      {d && (
        <>
          <p className="xcard-kind">
            cause <code>{d.kind}</code>
          </p>
          <p className="xcard-sentence" data-testid="explain-sentence">
            {d.sentence}
          </p>
          {d.settle && <p className="xcard-settle">{d.settle}</p>}
          <h3>How it happened</h3>
          <ol className="xcard-steps" aria-label="The chain of events, oldest first">
            {d.steps.map((s) => (
              <li key={s.seq} data-role={s.role}>
                <button
                  className="xcard-step"
                  title="Move the cursor to this event and select it in the trace"
                  onClick={() => appActions().selectEvent(s.seq, s.t)}
                >
                  <span className="xcard-time">{s.time}</span> <span className="xcard-role">{s.roleText}:</span> {s.text}
                </button>
              </li>
            ))}
          </ol>
          {d.settings.length > 0 && (
            <p className="xcard-settings">
              Setting behind it:{' '}
              {d.settings.map((s, i) => (
                <span key={s.path}>
                  {i > 0 && '; '}
                  {s.editable ? (
                    <button className="xcard-link" title="Open this setting in the Settings panel" onClick={() => appActions().focusSetting(s.path)}>
                      {s.path} = {s.value}
                    </button>
                  ) : (
                    <code>
                      {s.path} = {s.value}
                    </code>
                  )}
                </span>
              ))}
            </p>
          )}
          {d.section && (
            <p className="xcard-spec">
              Spec: virtio 1.2 section {d.section}
              {rule ? ` (${rule.id}, a ${rule.level.toUpperCase()} rule for the ${rule.side})` : ''}
            </p>
          )}
        </>
      )}
    </section>
  );
}
