/**
 * Animate: the image as the first frame of a video, with a prompt, motion, a loop or an end frame,
 * the batch size and the resolution. Legnext reads motion, loop, end frame and batch size as flags of
 * the prompt; the core checks that prompt and prices it (a batch of 1 or 2 costs a quarter or half).
 */
import { useState, type DragEvent } from 'react';
import type { JobView } from '../../../../shared/domain';
import type { ImportedFileView } from '../../../../shared/contract';
import { call, failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { useNowMinutes } from '../../hooks/useNow';
import { getJob } from '../../store/jobs';
import { importImageFile } from '../../store/providers';
import { OUTPUT_DRAG_TYPE, type DraggedOutput } from '../library/dnd';
import {
  animatePrompt,
  isHttpUrl,
  VIDEO_BATCH_SIZES,
  VIDEO_QUALITIES,
  type VideoBatch,
  type VideoQuality,
} from './options';
import {
  ChoiceField,
  Field,
  PanelFrame,
  PromptField,
  controlProps,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { costOf, sendFollowUp, type PanelProps } from './types';

interface EndFrameCandidate {
  key: string;
  job: JobView;
  index: number;
  url: string;
}

/** Library images a person may pick as the last frame: this job's others and its family's, while on the CDN. */
function endFrameCandidates(props: PanelProps, now: number): EndFrameCandidate[] {
  const jobs = [props.job, ...(props.lineage?.jobs ?? []).filter((j) => j.id !== props.job.id)];
  const out: EndFrameCandidate[] = [];
  for (const job of jobs) {
    if (Date.parse(job.cdnExpiresAt) <= now) continue;
    for (const o of job.outputs) {
      if (o.kind !== 'image' || !o.url) continue;
      if (job.id === props.job.id && o.index === props.output.index) continue;
      out.push({ key: `${job.id}:${o.index}`, job, index: o.index, url: o.url });
    }
  }
  return out.slice(0, 8);
}

/** An http(s) URL carried by a drop (a link, an image dragged from a page or the library). */
function droppedUrl(e: DragEvent): string | null {
  const list = e.dataTransfer.getData('text/uri-list');
  const fromList = list
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#'));
  const text = fromList ?? e.dataTransfer.getData('text/plain').trim();
  return text && isHttpUrl(text) ? text : null;
}

/** The library image a drag from the grid or a detail view carries, if it carries one. */
function draggedOutput(e: DragEvent): DraggedOutput | null {
  const raw = e.dataTransfer.getData(OUTPUT_DRAG_TYPE);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<DraggedOutput>;
    return typeof parsed.jobId === 'string' && typeof parsed.index === 'number'
      ? { jobId: parsed.jobId, index: parsed.index }
      : null;
  } catch {
    return null;
  }
}

/** A library image's CDN URL, while Legnext still serves it (30 days), or why there is none. */
async function libraryImageUrl(
  item: DraggedOutput,
): Promise<{ url: string; problem: null } | { url: null; problem: string }> {
  let job: JobView;
  try {
    job = getJob(item.jobId) ?? (await call('jobs.get', { id: item.jobId }));
  } catch (err) {
    return { url: null, problem: failureMessage(err) };
  }
  const output = job.outputs.find((o) => o.kind === 'image' && o.index === item.index);
  if (output?.url && Date.parse(job.cdnExpiresAt) > Date.now()) return { url: output.url, problem: null };
  return {
    url: null,
    problem: "That image is no longer on Legnext's CDN, so there is no URL Legnext could fetch it from.",
  };
}

export function AnimatePanel(props: PanelProps) {
  const [text, setText] = useState('');
  const [motion, setMotion] = useState<'low' | 'high'>('low');
  const [loop, setLoop] = useState(false);
  const [endUrl, setEndUrl] = useState('');
  // A file dropped from the computer: imported into the library, uploaded to the image host on send.
  const [endFile, setEndFile] = useState<ImportedFileView | null>(null);
  const [batch, setBatch] = useState<VideoBatch>(4);
  const [quality, setQuality] = useState<VideoQuality>(480);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const now = useNowMinutes();

  const prompt = animatePrompt({ text, motion, loop, endUrl, batch });
  const check = usePromptCheck(prompt, 'video');
  const problems: Problem[] = [];
  if (!loop && endUrl.trim() !== '' && !isHttpUrl(endUrl)) {
    problems.push({ field: 'end', message: 'The end frame must be the http(s) URL of an image.' });
  } else {
    const issue = promptProblem('prompt', prompt, check);
    if (issue) problems.push(issue);
  }
  const validation = useValidation(problems, ['prompt', 'end', 'quality'], () =>
    sendFollowUp(props, 'video-diffusion', `Animate (${quality}p)`, {
      prompt: prompt || undefined,
      quality,
      ...(endFile && !loop ? { endImage: { kind: 'file', ref: endFile.ref } } : {}),
    }),
  );
  const stateCost = costOf(props.states, (s) => s.options.quality === quality);
  const cost =
    prompt === '' ? stateCost : check.checked === prompt && check.check ? check.check.cost.points : null;
  const candidates = endFrameCandidates(props, now);
  const endError = validation.errorFor('end');

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragOver(false);
    // A library image first: its drag also carries a link to the local file, which Legnext cannot fetch.
    const item = draggedOutput(e);
    if (item) {
      void libraryImageUrl(item).then((found) => {
        if (found.url) {
          setEndUrl(found.url);
          setDropNote(null);
        } else setDropNote(found.problem);
      });
      return;
    }
    const url = droppedUrl(e);
    const file = e.dataTransfer.files[0];
    if (url) {
      setEndUrl(url);
      setEndFile(null);
      setDropNote(null);
    } else if (file) {
      setDropNote(null);
      importImageFile(file)
        .then((imported) => {
          setEndFile(imported);
          setEndUrl('');
        })
        .catch((err: unknown) => setDropNote(failureMessage(err)));
    }
  };

  return (
    <PanelFrame
      title="Animate"
      icon="video"
      description={`Image ${props.output.index + 1} becomes the first frame of a short video.`}
      panel={props}
      cost={cost}
      costNote={quality === 720 ? 'Legnext publishes no 720p price; the 480p figure is shown.' : null}
      submitLabel={batch === 1 ? 'Animate' : `Animate ${batch} videos`}
      validation={validation}
    >
      <PromptField
        field="prompt"
        label="Prompt"
        value={text}
        onChange={setText}
        error={validation.errorFor('prompt')}
        check={{ ...check, checked: check.checked === prompt ? text : null }}
        placeholder="How it moves: e.g. the boat drifts slowly, rain falls"
        hint={prompt ? <span className="mono">{prompt}</span> : undefined}
      />
      <div className="fu-grid">
        <ChoiceField<'low' | 'high'>
          field="motion"
          label="Motion"
          value={motion}
          onChange={setMotion}
          options={[
            { value: 'low', label: 'Low', title: 'Still scenes, subtle movement (default)' },
            { value: 'high', label: 'High', title: 'Big camera moves; may look artistic' },
          ]}
        />
        <ChoiceField<VideoBatch>
          field="batch"
          label="Videos"
          value={batch}
          onChange={setBatch}
          options={VIDEO_BATCH_SIZES.map((b) => ({ value: b, label: String(b) }))}
        />
        <ChoiceField<VideoQuality>
          field="quality"
          label="Resolution"
          error={validation.errorFor('quality')}
          value={quality}
          onChange={setQuality}
          options={VIDEO_QUALITIES.map((q) => ({ value: q, label: `${q}p` }))}
        />
      </div>
      <label className="check">
        <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} />
        Loop: end on the first frame
      </label>
      <Field
        field="end"
        label="End frame (optional)"
        error={endError}
        hint={
          loop
            ? 'A loop ends on its first frame, so it takes no end frame.'
            : 'An image URL, a picture below, or drop an image (a file from your computer too) here.'
        }
      >
        <div
          className={`end-drop${dragOver ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragOver(true);
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={onDrop}
        >
          <input
            {...controlProps('end', endError)}
            className="input input-sm"
            type="url"
            inputMode="url"
            placeholder="https://…"
            disabled={loop || endFile !== null}
            value={endUrl}
            onChange={(e) => setEndUrl(e.target.value)}
          />
          {(endUrl || endFile) && !loop ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => {
                setEndUrl('');
                setEndFile(null);
              }}
            >
              <Icon name="close" size={14} /> Remove
            </button>
          ) : null}
        </div>
      </Field>
      {endFile && !loop ? (
        <p className="end-file" role="status">
          <Icon name="image" size={14} /> <strong>{endFile.name}</strong> is the end frame: it is uploaded to
          your image host when the video is sent.
        </p>
      ) : null}
      {dropNote ? <p className="field-error">{dropNote}</p> : null}
      {candidates.length > 0 && !loop ? (
        <div className="end-picks" role="group" aria-label="Pick the end frame from the library">
          {candidates.map((c) => (
            <button
              key={c.key}
              type="button"
              className="end-pick"
              aria-pressed={endUrl === c.url}
              aria-label={`Image ${c.index + 1} of ${c.job.id === props.job.id ? 'this job' : 'a related job'} as the end frame`}
              onClick={() => setEndUrl(endUrl === c.url ? '' : c.url)}
            >
              <Media
                output={c.job.outputs.find((o) => o.kind === 'image' && o.index === c.index)}
                size="thumb"
                alt=""
              />
            </button>
          ))}
        </div>
      ) : null}
    </PanelFrame>
  );
}
