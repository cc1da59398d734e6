/** A JSON text area that says, as you type, whether the text is JSON and where it is not. */
import { useId } from 'react';

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export function JsonEditor({ label, value, onChange, rows = 8 }: { label: string; value: string; onChange: (v: string) => void; rows?: number }) {
  const id = useId();
  const check = parseJson(value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className={`code-input${check.ok ? '' : ' invalid'}`}
        spellCheck={false}
        rows={rows}
        value={value}
        aria-invalid={!check.ok}
        aria-describedby={`${id}-status`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-status`} className={check.ok ? 'hint ok-text' : 'hint error-text'} role="status">
        {check.ok ? 'Valid JSON' : `Not valid JSON: ${check.message}`}
      </p>
    </div>
  );
}
