import { createPortal } from 'react-dom';
import { glossaryEntry } from '../../sim/index';

/**
 * A glossary term's definition, as a tooltip in the page's body (the panels
 * contain their paint, which would clip it inside them). Loaded apart from
 * the first screen with the glossary, and fetched when the page is idle.
 */
export default function TermTip({ id, k, at }: { id: string; k: string; at: { left: number; top: number } | null }): React.JSX.Element {
  const entry = glossaryEntry(k);
  const cite = entry?.cite ? ` (${/^\d/.test(entry.cite) ? `virtio ${entry.cite}` : entry.cite})` : '';
  return createPortal(
    <span role="tooltip" id={id} className="term-tip" hidden={!at} style={at ? { left: at.left, top: at.top } : undefined}>
      {entry ? (
        <>
          <b>{entry.term}</b>: {entry.text}
          {cite}
        </>
      ) : (
        `${k}: not in the glossary`
      )}
    </span>,
    document.body,
  );
}
