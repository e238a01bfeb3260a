/**
 * "Animate with…" for one library image: a video from it with Midjourney (Legnext's video follow-up),
 * Leonardo (image-to-video; Kling 2.1 can land on an end frame) or Vidu (towards a last frame, or
 * with the image as one of up to four references). Each provider offers only what its chosen model
 * allows; a missing key or gateway URL is said up front with a way to Settings. Self-contained: its
 * draft lives in the providers store, keyed by job and image, so it survives the view re-rendering.
 */
import { useEffect, useId, useState } from 'react';
import type {
  CallRequest,
  FollowUpStateView,
  ImageSource,
  VideoModelView,
} from '../../../../shared/contract';
import type { JobView } from '../../../../shared/domain';
import { call, failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { formatPoints } from '../../lib/format';
import { useActivity } from '../../store/activity';
import { useSettings } from '../../store/settings';
import {
  ACCOUNT_NAMES,
  DEFAULT_MODELS,
  addReference,
  PROVIDER_NAMES,
  chooseModel,
  draftKey,
  loadProviders,
  modelsOf,
  providerBlocker,
  releasePicked,
  removeReference,
  submitLegnextAnimate,
  submitVideoWith,
  updateDraft,
  useDraft,
  useProviders,
  type AnimateDraft,
  type AnimateProvider,
  type PickedImage,
  type VideoProvider,
} from '../../store/providers';
import { toast } from '../../store/ui';
import {
  Check,
  Choice,
  ChoiceField,
  DurationControl,
  Field,
  MIDJOURNEY_VIDEO_RESOLUTIONS,
  ModelPicker,
  ModelsLoading,
  MOTION_OPTIONS,
  parseSeed,
  SeedField,
  SettingsBlocker,
  SoundSwitches,
  SubmitWithReason,
} from './controls';
import { ImageDrop, PickedThumb } from './ImageDrop';
import '../../styles/providers.css';

const PROVIDER_OPTIONS: ReadonlyArray<{ value: AnimateProvider; label: string }> = [
  { value: 'legnext', label: PROVIDER_NAMES.legnext },
  { value: 'leonardo', label: PROVIDER_NAMES.leonardo },
  { value: 'vidu', label: PROVIDER_NAMES.vidu },
];

/** The model of the draft, or the provider's default when the draft names one that no longer exists. */
function modelFor(models: VideoModelView[], draft: AnimateDraft, provider: VideoProvider) {
  return (
    models.find((m) => m.id === draft.model[provider]) ??
    models.find((m) => m.id === DEFAULT_MODELS[provider]) ??
    models[0]
  );
}

function durationOf(model: VideoModelView, draft: AnimateDraft): number {
  return draft.duration !== null && model.durations.includes(draft.duration)
    ? draft.duration
    : model.defaultDuration;
}

function resolutionOf(model: VideoModelView, draft: AnimateDraft): string {
  return draft.resolution !== null && model.resolutions.includes(draft.resolution)
    ? draft.resolution
    : model.defaultResolution;
}

function aspectOf(model: VideoModelView, draft: AnimateDraft): string {
  return model.aspectRatios.includes(draft.aspectRatio)
    ? draft.aspectRatio
    : (model.aspectRatios[0] ?? '16:9');
}

/** One image slot: the picked image with a remove button, or a drop zone. */
function Slot({
  label,
  hint,
  image,
  onChange,
}: {
  label: string;
  hint: string;
  image: PickedImage | null;
  onChange(image: PickedImage | null): void;
}) {
  return (
    <Field label={label}>
      {image ? (
        <PickedThumb
          image={image}
          removeLabel={`Remove the ${label.toLowerCase()}`}
          onRemove={() => {
            releasePicked(image);
            onChange(null);
          }}
        />
      ) : (
        <ImageDrop label={`Drop the ${label.toLowerCase()}`} hint={hint} onPick={onChange} />
      )}
    </Field>
  );
}

const DROP_HINT = 'An image from your computer or your library.';

function References({ draftId, draft, max }: { draftId: string; draft: AnimateDraft; max: number }) {
  const room = max - 1 - draft.refs.length;
  return (
    <Field label={`Reference images (${draft.refs.length + 1} of ${max})`}>
      <p className="field-hint">
        This image is <code>@Image1</code>; name the others in the prompt as <code>@Image2</code>…
      </p>
      <ul className="picked-list">
        {draft.refs.map((ref, i) => (
          <li key={`${i}-${ref.label}`}>
            <PickedThumb
              image={{ ...ref, label: `@Image${i + 2} · ${ref.label}` }}
              removeLabel={`Remove reference image ${i + 2}`}
              onRemove={() => removeReference(draftId, ref)}
            />
          </li>
        ))}
      </ul>
      {room > 0 ? (
        <ImageDrop
          label="Drop reference images"
          hint={`Up to ${room} more: ${DROP_HINT.toLowerCase()}`}
          room={room}
          onPick={(image) => addReference(draftId, image)}
        />
      ) : null}
    </Field>
  );
}

/** The prompt of the video: what happens in it. */
function WhatHappens({
  id,
  draftId,
  value,
  placeholder,
}: {
  id: string;
  draftId: string;
  value: string;
  placeholder: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>What happens</label>
      <textarea
        id={id}
        className="textarea animate-prompt"
        rows={3}
        placeholder={placeholder}
        value={value}
        onChange={(e) => updateDraft(draftId, { prompt: e.target.value })}
      />
    </div>
  );
}

function LeonardoOrViduFields({
  draftId,
  draft,
  provider,
  model,
  models,
  seedError,
}: {
  draftId: string;
  draft: AnimateDraft;
  provider: VideoProvider;
  model: VideoModelView;
  models: VideoModelView[];
  seedError: string | null;
}) {
  const id = useId();
  const set = (patch: Partial<AnimateDraft>) => updateDraft(draftId, patch);
  const references = provider === 'vidu' && draft.viduMode === 'references';
  return (
    <>
      <div className="animate-row">
        <Field label="Model" htmlFor={`${id}-model`}>
          <ModelPicker
            id={`${id}-model`}
            models={models}
            value={model.id}
            onChange={(m) => chooseModel(draftId, provider, m)}
          />
        </Field>
        {provider === 'vidu' ? (
          <ChoiceField
            label="This image is"
            value={draft.viduMode}
            options={[
              { value: 'frames', label: 'The first frame' },
              { value: 'references', label: 'A reference' },
            ]}
            onChange={(viduMode) => set({ viduMode })}
          />
        ) : null}
      </div>
      <WhatHappens
        id={`${id}-prompt`}
        draftId={draftId}
        value={draft.prompt}
        placeholder={
          references
            ? '@Image1 walks along the shore in the style of @Image2'
            : 'The camera slowly pushes in as the light changes'
        }
      />
      <div className="controls">
        <DurationControl
          id={`${id}-duration`}
          model={model}
          value={durationOf(model, draft)}
          onChange={(duration) => set({ duration })}
        />
        <ChoiceField
          label="Resolution"
          value={resolutionOf(model, draft)}
          options={model.resolutions.map((r) => ({ value: r, label: r }))}
          onChange={(resolution) => set({ resolution })}
        />
        {references ? (
          <ChoiceField
            label="Aspect ratio"
            value={aspectOf(model, draft)}
            options={model.aspectRatios.map((a) => ({ value: a, label: a }))}
            onChange={(aspectRatio) => set({ aspectRatio })}
          />
        ) : null}
        <SeedField
          id={`${id}-seed`}
          value={draft.seed}
          error={seedError}
          onChange={(seed) => set({ seed })}
        />
      </div>
      {provider === 'leonardo' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-negative`}>Avoid (negative prompt)</label>
            <input
              id={`${id}-negative`}
              className="input"
              placeholder="Optional, e.g. blur, text, extra limbs"
              value={draft.negativePrompt}
              onChange={(e) => set({ negativePrompt: e.target.value })}
            />
          </div>
          <Check
            label="Enhance the prompt"
            hint="Leonardo rewrites it with more detail"
            checked={draft.promptEnhance}
            onChange={(promptEnhance) => set({ promptEnhance })}
          />
        </>
      ) : (
        <SoundSwitches audio={draft.audio} bgm={draft.bgm} onChange={set} />
      )}
      {references ? (
        <References draftId={draftId} draft={draft} max={model.accepts.references} />
      ) : model.accepts.lastFrame ? (
        <Slot
          label={provider === 'vidu' ? 'Last frame' : 'End frame'}
          hint={`Optional. ${DROP_HINT}`}
          image={draft.last}
          onChange={(last) => set({ last })}
        />
      ) : null}
    </>
  );
}

function LegnextFields({ draftId, draft }: { draftId: string; draft: AnimateDraft }) {
  const id = useId();
  const set = (patch: Partial<AnimateDraft>) => updateDraft(draftId, patch);
  return (
    <>
      <WhatHappens
        id={`${id}-prompt`}
        draftId={draftId}
        value={draft.prompt}
        placeholder="Optional: Midjourney animates the image by itself"
      />
      <div className="controls">
        <ChoiceField
          label="Motion"
          value={draft.motion}
          options={MOTION_OPTIONS}
          onChange={(motion) => set({ motion })}
        />
        <ChoiceField
          label="Resolution"
          value={draft.quality}
          options={MIDJOURNEY_VIDEO_RESOLUTIONS}
          onChange={(quality) => set({ quality })}
        />
        <div className="control">
          <Check
            label="Loop"
            hint="End where it starts"
            checked={draft.loop}
            onChange={(loop) => set({ loop })}
          />
        </div>
      </div>
    </>
  );
}

/** Legnext's own word on animating this image: its cost, or why it cannot be done now. */
function useLegnextAnimate(job: JobView, index: number, quality: 480 | 720, active: boolean) {
  const [states, setStates] = useState<FollowUpStateView[] | null>(null);
  useEffect(() => {
    if (!active) return;
    let current = true;
    call('jobs.followUps', { id: job.id })
      .then((s) => current && setStates(s))
      .catch(() => current && setStates([]));
    return () => {
      current = false;
    };
  }, [active, job.id, job.status]);
  return states?.find(
    (f) => f.op === 'video-diffusion' && f.index === index && f.options.quality === quality,
  );
}

export function AnimateWithPanel({ job, index }: { job: JobView; index: number }) {
  const draftId = draftKey(job.id, index);
  const draft = useDraft(draftId);
  const allModels = useProviders((s) => s.models);
  const modelsError = useProviders((s) => s.modelsError);
  const keys = useProviders((s) => s.keys);
  const endpoints = useProviders((s) => s.endpoints);
  const busy = useProviders((s) => s.sending.includes(draftId));
  const legnextKey = useSettings((s) => s.key?.set === true);
  const queue = useActivity((s) => s.queue);
  const headingId = useId();
  const provider = draft.provider;

  useEffect(() => {
    void loadProviders();
  }, []);

  const legnext = useLegnextAnimate(job, index, draft.quality, provider === 'legnext');
  const models = provider === 'legnext' ? [] : modelsOf(allModels, provider);
  const model = provider === 'legnext' ? undefined : modelFor(models, draft, provider);
  const seed = provider === 'legnext' ? null : parseSeed(draft.seed);
  const seedError = typeof seed === 'string' ? seed : null;

  let blocker: { text: string; settings: boolean } | null = null;
  if (provider === 'legnext') {
    if (!legnextKey) blocker = { text: 'Add your Legnext API key in Settings first.', settings: true };
    else if (legnext && !legnext.enabled)
      blocker = { text: legnext.reason ?? 'Not available now.', settings: false };
  } else {
    const missing = providerBlocker(provider, keys, endpoints);
    if (missing) blocker = { text: missing, settings: true };
  }
  const paused = queue?.paused.find((p) => p.provider === provider);

  let reason: string | null = null;
  if (blocker) reason = blocker.text;
  else if (queue?.offline) reason = 'GenVault is offline; videos can be sent when the network is back.';
  else if (paused) reason = paused.reason;
  else if (provider === 'legnext' && !legnext) reason = 'Checking what Midjourney allows for this image…';
  else if (provider !== 'legnext' && !model) reason = modelsError ?? 'Loading the models…';
  else if (provider !== 'legnext' && draft.prompt.trim() === '') reason = 'Describe what happens first.';
  else if (seedError) reason = 'Fix the seed first.';

  const submit = async () => {
    try {
      let sent: JobView;
      if (provider === 'legnext') {
        sent = await submitLegnextAnimate(draftId, job.id, index, draft);
      } else {
        const m = model!;
        const self: ImageSource = { kind: 'output', jobId: job.id, index };
        const references = provider === 'vidu' && draft.viduMode === 'references';
        const request: CallRequest<'jobs.videoWith'> = {
          provider,
          model: m.id,
          prompt: draft.prompt.trim(),
          duration: durationOf(m, draft),
          resolution: resolutionOf(m, draft),
          ...(typeof seed === 'number' ? { seed } : {}),
          ...(references
            ? { refs: [self, ...draft.refs.map((r) => r.source)], aspectRatio: aspectOf(m, draft) }
            : { from: self, ...(m.accepts.lastFrame && draft.last ? { last: draft.last.source } : {}) }),
          ...(provider === 'leonardo'
            ? {
                ...(draft.negativePrompt.trim() ? { negativePrompt: draft.negativePrompt.trim() } : {}),
                ...(draft.promptEnhance ? { promptEnhance: true } : {}),
              }
            : { audio: draft.audio, bgm: draft.bgm }),
        };
        sent = await submitVideoWith(draftId, request);
      }
      toast(`${PROVIDER_NAMES[provider]} video started.`, 'success', {
        label: 'Open',
        route: { view: 'job', id: sent.id },
      });
    } catch (err) {
      toast(failureMessage(err), 'danger');
    }
  };

  const reasonId = `${headingId}-reason`;
  return (
    <section className="panel animate-with" aria-labelledby={headingId}>
      <div className="animate-head">
        <h3 id={headingId}>
          <Icon name="video" size={16} /> Animate image {index + 1} with…
        </h3>
        <Choice
          label="Video provider"
          value={provider}
          options={PROVIDER_OPTIONS}
          onChange={(p) => updateDraft(draftId, { provider: p })}
        />
      </div>
      <form
        className="animate-body"
        aria-label={`Video with ${PROVIDER_NAMES[provider]}`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason && !busy) void submit();
        }}
      >
        {blocker?.settings ? <SettingsBlocker text={blocker.text} /> : null}
        {provider === 'legnext' ? (
          <LegnextFields draftId={draftId} draft={draft} />
        ) : model ? (
          <LeonardoOrViduFields
            draftId={draftId}
            draft={draft}
            provider={provider}
            model={model}
            models={models}
            seedError={seedError}
          />
        ) : (
          <ModelsLoading error={modelsError} />
        )}
        <div className="animate-footer">
          <p className="animate-cost">
            {provider === 'legnext' ? (
              legnext ? (
                <>
                  Cost <strong>≈ {formatPoints(legnext.cost)}</strong>
                </>
              ) : (
                'Cost shown once Midjourney’s rules are checked.'
              )
            ) : (
              (model?.note ?? `Billed by ${ACCOUNT_NAMES[provider]}.`)
            )}
          </p>
          <SubmitWithReason
            id={reasonId}
            reason={reason}
            quiet={blocker?.settings === true}
            busy={busy}
            icon="video"
          >
            Animate with {PROVIDER_NAMES[provider]}
          </SubmitWithReason>
        </div>
      </form>
    </section>
  );
}
