import { textParts } from '../lesson-player';
import { Term } from './Term';

/** Lesson text with its [[term]] links as glossary terms (text only: nothing here renders HTML). */
export function LessonText({ text }: { text: string }): React.JSX.Element {
  return (
    <>
      {textParts(text).map((p, i) =>
        'term' in p ? (
          <Term key={i} k={p.term}>
            {p.shown}
          </Term>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** "virtio 5.18.6.9": the spec section a step paraphrases. */
export function Cite({ cite }: { cite: string | undefined }): React.JSX.Element | null {
  return cite ? <p className="learn-cite">Spec: virtio {cite}</p> : null;
}
