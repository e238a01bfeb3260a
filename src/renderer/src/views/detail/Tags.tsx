/**
 * A job's tags in its detail view: chips that search the library for the tag, each removable, and a
 * field that adds tags (Enter or a comma ends one; pasting "a, b, c" adds three). Changes are saved at
 * once; the library keeps tags case-insensitively unique, so adding one twice changes nothing.
 */
import { useId, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { MAX_TAGS } from '../../../../shared/contract';
import type { JobView } from '../../../../shared/domain';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { setTags } from '../../store/jobs';
import { searchLibraryFor } from '../../store/library';
import '../../styles/tags.css';

/** The longest tag the library stores. */
const MAX_TAG_LENGTH = 100;

/** The tags typed or pasted in one go: split at commas and new lines, trimmed, blanks dropped. */
export function splitTags(text: string): string[] {
  return text
    .split(/[,\n]/u)
    .map((t) => t.trim().replace(/\s+/gu, ' '))
    .filter((t) => t !== '');
}

/** `tags` plus `added`, without case-insensitive repeats; the first spelling wins. */
export function withTags(tags: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(tags.map((t) => t.toLocaleLowerCase()));
  const out = [...tags];
  for (const tag of added) {
    const key = tag.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export function Tags({ job }: { job: JobView }) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const problemId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  /** Removes a chip and keeps focus in the tags: on the chip that took its place, else the field. */
  const remove = (index: number): void => {
    save(job.tags.filter((_, i) => i !== index));
    requestAnimationFrame(() => {
      const chips = listRef.current?.querySelectorAll<HTMLButtonElement>('.tag-chip-text') ?? [];
      (chips[Math.min(index, chips.length - 1)] ?? inputRef.current)?.focus();
    });
  };

  const save = (next: readonly string[]): void => {
    setProblem(null);
    setTags(job.id, next).catch((err: unknown) => setProblem(failureMessage(err)));
  };

  const add = (text: string): boolean => {
    const added = splitTags(text);
    if (added.length === 0) return true;
    const long = added.find((t) => t.length > MAX_TAG_LENGTH);
    if (long) {
      setProblem(`A tag can be at most ${MAX_TAG_LENGTH} characters long.`);
      return false;
    }
    const next = withTags(job.tags, added);
    if (next.length > MAX_TAGS) {
      setProblem(`A job can have at most ${MAX_TAGS} tags.`);
      return false;
    }
    if (next.length !== job.tags.length) save(next);
    else setProblem(null);
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      if (add(draft)) setDraft('');
    } else if (e.key === 'Escape' && draft !== '') {
      e.preventDefault();
      setDraft('');
      setProblem(null);
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>): void => {
    const text = e.clipboardData.getData('text/plain');
    if (!/[,\n]/u.test(text)) return;
    e.preventDefault();
    if (add(`${draft}${text}`)) setDraft('');
  };

  return (
    <div className="tags">
      {job.tags.length > 0 ? (
        <ul ref={listRef} className="tag-list" aria-label="Tags">
          {job.tags.map((tag, index) => (
            <li key={tag} className="tag-chip">
              <button
                type="button"
                className="tag-chip-text"
                title={`Search the library for “${tag}”`}
                onClick={() => searchLibraryFor(tag)}
              >
                {tag}
              </button>
              <button
                type="button"
                className="tag-chip-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => remove(index)}
              >
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No tags yet: add words you will search for later.</p>
      )}
      <label className="visually-hidden" htmlFor={inputId}>
        Add a tag
      </label>
      <input
        ref={inputRef}
        id={inputId}
        className="input input-sm tag-input"
        value={draft}
        placeholder="Add a tag, then Enter"
        maxLength={MAX_TAG_LENGTH * 4}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => {
          if (draft.trim() !== '' && add(draft)) setDraft('');
        }}
      />
      {problem ? (
        <p id={problemId} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
