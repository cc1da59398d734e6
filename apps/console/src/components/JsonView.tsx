/** A read-only, syntax-coloured JSON block with a copy button. */
import { useMemo, type ReactElement } from 'react';
import { prettyJson } from './format';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function JsonView({ value, label, maxHeight }: { value: unknown; label: string; maxHeight?: number }) {
  const text = useMemo(() => prettyJson(value), [value]);
  const parts = useMemo(() => highlight(text), [text]);
  return (
    <figure className="json">
      <figcaption>
        <span>{label}</span>
        <button type="button" className="link-button" onClick={() => void navigator.clipboard?.writeText(text)} aria-label={`Copy ${label}`}>Copy</button>
      </figcaption>
      <pre tabIndex={0} aria-label={label} style={maxHeight ? { maxHeight } : undefined}>{parts}</pre>
    </figure>
  );
}

function highlight(text: string): (string | ReactElement)[] {
  if (text.length > 200_000) return [text];
  const out: (string | ReactElement)[] = [];
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const cls = m[1] !== undefined ? (m[2] ? 'j-key' : 'j-str') : m[3] !== undefined ? 'j-lit' : 'j-num';
    out.push(<span key={i++} className={cls}>{m[1] ?? m[0]}</span>);
    if (m[2]) out.push(m[2]);
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
