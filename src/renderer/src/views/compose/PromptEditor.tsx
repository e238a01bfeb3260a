/**
 * A prompt textarea that highlights its `--flags`, and in red the ones the core's check complains
 * about. The highlight is a backdrop layer with the same text metrics under a transparent textarea,
 * so typing, selection, undo and IME stay the browser's own.
 */
import { useMemo, useRef, type ReactNode } from 'react';
import { flagTokens } from '../../lib/prompt-flags';

export function PromptEditor({
  id,
  value,
  onChange,
  badFlags,
  invalid,
  describedBy,
  placeholder,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
  /** Flags as typed (`--q`) that have an issue. */
  badFlags: ReadonlySet<string>;
  invalid: boolean;
  describedBy?: string;
  placeholder?: string;
}) {
  const backdropRef = useRef<HTMLDivElement>(null);

  const highlighted = useMemo(() => {
    const parts: ReactNode[] = [];
    let at = 0;
    for (const token of flagTokens(value)) {
      if (token.start > at) parts.push(value.slice(at, token.start));
      const bad = badFlags.has(token.raw.toLowerCase());
      parts.push(
        <mark key={token.start} className={bad ? 'flag bad' : 'flag'}>
          {value.slice(token.start, token.end)}
        </mark>,
      );
      at = token.end;
    }
    parts.push(value.slice(at));
    // A trailing newline needs content after it to take up a line, as it does in the textarea.
    parts.push('\u200b');
    return parts;
  }, [value, badFlags]);

  return (
    <div className="prompt-editor">
      <div className="prompt-backdrop" ref={backdropRef} aria-hidden="true">
        {highlighted}
      </div>
      <textarea
        id={id}
        className="textarea prompt-input"
        value={value}
        spellCheck
        rows={5}
        placeholder={placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (backdropRef.current) backdropRef.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
