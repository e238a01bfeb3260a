/**
 * Blend: 2–5 images (from the library, the computer, the clipboard or the web), in an order the person
 * sets by dragging or with the move buttons, and an aspect ratio; sent as one Legnext blend.
 */
import { Icon } from '../../components/Icon';
import { Badge, Spinner } from '../../components/ui';
import { STATUS_INFO, coverOutput, pendingWords } from '../../lib/jobs';
import { Media } from '../../components/Media';
import { submitBlocker, useActivity } from '../../store/activity';
import {
  BLEND_ASPECTS,
  MAX_SLOTS,
  MIN_SLOTS,
  addSlot,
  clearBlend,
  moveSlot,
  placeImages,
  removeSlot,
  setAspect,
  submitBlend,
  useBlend,
  type BlendAspect,
} from '../../store/blend';
import { useJob } from '../../store/jobs';
import { useSettings } from '../../store/settings';
import { navigate } from '../../store/ui';
import { readPaste } from '../library/dnd';
import { HostError, usePasteInto } from './shared';
import { ImageSlot } from './ImageSlot';
import { LibraryPicker } from './LibraryPicker';

const ASPECT_SHAPES: Record<BlendAspect, { w: number; h: number; name: string }> = {
  '2:3': { w: 12, h: 18, name: 'Portrait' },
  '1:1': { w: 16, h: 16, name: 'Square' },
  '3:2': { w: 18, h: 12, name: 'Landscape' },
};

function SentBlend({ id }: { id: string }) {
  const job = useJob(id);
  if (!job) return null;
  const status = STATUS_INFO[job.status];
  return (
    <li>
      <a
        className="sent-row"
        href={`#/job/${encodeURIComponent(id)}`}
        onClick={(e) => {
          e.preventDefault();
          navigate({ view: 'job', id });
        }}
      >
        <span className="sent-thumb">
          <Media output={coverOutput(job)} size="thumb" alt="" pending={pendingWords(job)} />
        </span>
        <span className="sent-text">
          <strong>Blend</strong>
          <span className="muted small">{new Date(job.createdAt).toLocaleTimeString()}</span>
        </span>
        <Badge tone={status.tone}>{status.label}</Badge>
      </a>
    </li>
  );
}

export function BlendView() {
  const slots = useBlend((s) => s.slots);
  const aspect = useBlend((s) => s.aspect);
  const submitting = useBlend((s) => s.submitting);
  const error = useBlend((s) => s.error);
  const sent = useBlend((s) => s.sent);
  const queue = useActivity((s) => s.queue);
  const keySet = useSettings((s) => s.key?.set === true);
  const blocker = submitBlocker(queue, keySet);
  const filled = slots.filter((s) => s.image !== null).length;
  const loading = slots.some((s) => s.loading);

  usePasteInto((data, slotId) => placeImages(readPaste(data), slotId));

  const reason =
    blocker ??
    (loading ? 'Wait until every image is added.' : filled < MIN_SLOTS ? 'Add at least two images.' : null);

  return (
    <section className="view" aria-labelledby="blend-title">
      <header className="view-header">
        <h1 id="blend-title">Blend</h1>
        <span className="muted small">Mix 2 to 5 images into four new ones</span>
      </header>
      <div className="view-body">
        <div className="tool-layout">
          <section className="panel panel-body tool-main" aria-labelledby="blend-images-title">
            <div className="tool-head">
              <h2 id="blend-images-title">Images</h2>
              <span className="muted small">
                {filled} of {slots.length} added · drag <Icon name="grip" size={12} /> or use the arrows to
                reorder
              </span>
            </div>
            <ol className="slot-grid" aria-label="Images to blend, in order">
              {slots.map((slot, i) => (
                <li key={slot.id}>
                  <ImageSlot
                    slot={slot}
                    label={`Image ${i + 1}`}
                    onImages={(images) => placeImages(images, slot.id)}
                    onClear={() => removeSlot(slot.id)}
                    clearLabel={slots.length > MIN_SLOTS ? 'Remove' : 'Clear'}
                    onReorder={(dragged) => moveSlot(dragged, i)}
                    tools={
                      <>
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm btn-icon"
                          aria-label={`Move image ${i + 1} earlier`}
                          title="Move earlier"
                          disabled={i === 0}
                          onClick={() => moveSlot(slot.id, i - 1)}
                        >
                          <Icon name="chevronLeft" size={14} />
                        </button>
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm btn-icon"
                          aria-label={`Move image ${i + 1} later`}
                          title="Move later"
                          disabled={i === slots.length - 1}
                          onClick={() => moveSlot(slot.id, i + 1)}
                        >
                          <Icon name="chevronRight" size={14} />
                        </button>
                      </>
                    }
                  />
                </li>
              ))}
              {slots.length < MAX_SLOTS ? (
                <li>
                  <button type="button" className="slot-add" onClick={addSlot}>
                    <Icon name="plus" size={22} />
                    Add an image
                    <span className="muted small">up to {MAX_SLOTS}</span>
                  </button>
                </li>
              ) : null}
            </ol>

            <fieldset className="aspect-picker">
              <legend>Aspect ratio of the result</legend>
              {BLEND_ASPECTS.map((a) => {
                const shape = ASPECT_SHAPES[a];
                return (
                  <label key={a} className={`aspect-option${aspect === a ? ' checked' : ''}`}>
                    <input
                      type="radio"
                      name="blend-aspect"
                      value={a}
                      checked={aspect === a}
                      onChange={() => setAspect(a)}
                    />
                    <span
                      className="aspect-shape"
                      style={{ width: shape.w, height: shape.h }}
                      aria-hidden="true"
                    />
                    <span>
                      {a} <span className="muted small">{shape.name}</span>
                    </span>
                  </label>
                );
              })}
            </fieldset>

            <HostError message={error} />

            <div className="tool-actions">
              {reason ? (
                <p className="muted small" id="blend-reason">
                  {reason}
                </p>
              ) : null}
              <span className="spacer" />
              <button type="button" className="btn" onClick={clearBlend} disabled={submitting}>
                Start over
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={reason !== null || submitting}
                aria-describedby={reason ? 'blend-reason' : undefined}
                onClick={() => void submitBlend()}
              >
                {submitting ? <Spinner label="Sending" /> : <Icon name="blend" size={16} />}
                Blend {filled >= MIN_SLOTS ? `${filled} images` : 'images'}
              </button>
            </div>
          </section>

          <aside className="tool-side" aria-label="Images and help">
            <div className="panel panel-body">
              <LibraryPicker pickLabel="Add to the blend" onPick={(image) => placeImages([image])} />
            </div>
            <section className="panel panel-body tool-help">
              <h2>Where images come from</h2>
              <ul>
                <li>
                  <strong>Library</strong> — drag any image from the library grid (expand a job to pick one of
                  its four). Images from the last 30 days are sent by their Midjourney link.
                </li>
                <li>
                  <strong>Your computer</strong> — drop files, paste a screenshot, or choose a file. These,
                  and library images older than 30 days, are uploaded to your image host first.
                </li>
                <li>
                  <strong>The web</strong> — drop or paste an image link (https://…).
                </li>
              </ul>
              <button
                type="button"
                className="link-button"
                onClick={() => navigate({ view: 'settings', section: 'image-host' })}
              >
                Image host settings
              </button>
            </section>
            {sent.length > 0 ? (
              <section className="panel panel-body" aria-labelledby="blend-sent-title">
                <h2 id="blend-sent-title">Sent from here</h2>
                <ul className="sent-list">
                  {sent.map((id) => (
                    <SentBlend key={id} id={id} />
                  ))}
                </ul>
              </section>
            ) : null}
          </aside>
        </div>
      </div>
    </section>
  );
}
