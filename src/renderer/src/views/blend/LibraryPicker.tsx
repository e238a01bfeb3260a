/**
 * Recent library images beside the slots of Blend and Describe, so an image can be dragged in (or
 * added with a click) without leaving the view. Searchable by prompt; each image of a job is its own
 * tile.
 */
import { useEffect, useState } from 'react';
import type { JobView } from '../../../../shared/domain';
import { call, failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { Spinner } from '../../components/ui';
import { useDebounced } from '../../hooks/useDebounced';
import { imagesOf, promptText } from '../../lib/jobs';
import { pinJobs, putJobs } from '../../store/jobs';
import { beginOutputDrag, type DroppedImage } from '../library/dnd';

/** Jobs whose results are images a blend or describe can take. */
const IMAGE_TASK_TYPES = [
  'diffusion',
  'variation',
  'remix',
  'reroll',
  'upscale',
  'enhance',
  'enhance_upscale',
  'blend',
  'pan',
  'outpaint',
  'inpaint',
  'edit',
  'upload_paint',
  'retexture',
  'remove_background',
];
const JOBS_SHOWN = 24;
const TILES_SHOWN = 48;

export function LibraryPicker({
  onPick,
  pickLabel,
}: {
  onPick(image: DroppedImage): void;
  pickLabel: string;
}) {
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 250);
  const [jobs, setJobs] = useState<JobView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const list = { taskType: IMAGE_TASK_TYPES, status: 'completed' as const, limit: JOBS_SHOWN };
    (query ? call('jobs.search', { text: query, query: list }) : call('jobs.list', list))
      .then((page) => {
        if (!current) return;
        putJobs(page.items);
        setJobs(page.items);
        setError(null);
      })
      .catch((err: unknown) => {
        if (current) setError(failureMessage(err));
      });
    return () => {
      current = false;
    };
  }, [query]);

  useEffect(() => (jobs ? pinJobs(jobs.map((j) => j.id)) : undefined), [jobs]);

  const tiles = (jobs ?? [])
    .flatMap((job) => imagesOf(job).map((output) => ({ job, output })))
    .slice(0, TILES_SHOWN);

  return (
    <section className="picker" aria-labelledby="picker-title">
      <div className="picker-head">
        <h2 id="picker-title">From your library</h2>
        <div className="search picker-search">
          <Icon name="search" size={14} className="search-icon" />
          <input
            type="search"
            className="input input-sm"
            placeholder="Search prompts"
            aria-label="Search library images"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : jobs === null ? (
        <p className="muted small">
          <Spinner label="Loading images" /> Loading…
        </p>
      ) : tiles.length === 0 ? (
        <p className="muted small">
          {query ? `No image matches “${query}”.` : 'No images in the library yet.'}
        </p>
      ) : (
        <>
          <p className="muted small">Drag an image onto a slot, or click it to add it.</p>
          <ul className="picker-grid">
            {tiles.map(({ job, output }) => (
              <li key={`${job.id}:${output.index}`}>
                <button
                  type="button"
                  className="picker-tile"
                  data-job-id={job.id}
                  data-index={output.index}
                  draggable
                  aria-label={`${pickLabel}: image ${output.index + 1} of “${promptText(job)}”`}
                  title={promptText(job)}
                  onDragStart={(e) => beginOutputDrag(e, job, output)}
                  onClick={() => onPick({ kind: 'output', jobId: job.id, index: output.index })}
                >
                  <Media output={output} size="thumb" alt="" />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
