import { useEffect, useId, useState } from 'react';
import { checkWholeNumber, type FieldRule } from '../number-field';

/**
 * A whole-number setting: checked as it is typed (an error under it names the
 * problem and the value still in use), applied on Enter or when it loses focus,
 * and only when valid. It shows the applied value again once that changes.
 */
export function NumberField({ label, rule, applied, onApply, disabled = false }: { label: string; rule: FieldRule; applied: number; onApply: (v: number) => void; disabled?: boolean }): React.JSX.Element {
  const [text, setText] = useState(String(applied));
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  useEffect(() => {
    setText(String(applied));
    setError(null);
  }, [applied]);
  const check = (t: string): void => {
    const r = checkWholeNumber(t, rule);
    setError(r.ok ? null : `${r.error}; ${applied} is in use.`);
  };
  const commit = (t: string): void => {
    const r = checkWholeNumber(t, rule);
    if (r.ok && r.value !== applied) onApply(r.value);
  };
  return (
    <label>
      <span>{label}</span>
      <input
        type="text"
        inputMode="numeric"
        value={text}
        disabled={disabled}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          check(e.target.value);
        }}
        onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
        onBlur={(e) => commit(e.target.value)}
      />
      {error && (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      )}
    </label>
  );
}
