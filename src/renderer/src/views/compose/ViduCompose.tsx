/**
 * Compose's video made by Vidu (UniAll) from text alone: model, length, aspect ratio, sound, music and
 * seed, each offering only what the chosen model allows. Billed by the person's UniAll gateway, which
 * reports no price up front, so the footer says so instead of a cost.
 */
import { useEffect, useId } from 'react';
import { failureMessage } from '../../api';
import { useActivity } from '../../store/activity';
import { setVideoMaker, setVidu, submitCompose, useCompose, type VideoMaker } from '../../store/compose';
import { loadProviders, modelsOf, providerBlocker, useProviders } from '../../store/providers';
import { toast } from '../../store/ui';
import {
  ChoiceField,
  DurationControl,
  Field,
  ModelPicker,
  ModelsLoading,
  parseSeed,
  SeedField,
  SettingsBlocker,
  SoundSwitches,
  SubmitWithReason,
} from '../providers/controls';
import '../../styles/providers.css';

/** Who makes the video: Midjourney (through Legnext) or Vidu. */
export function VideoMakerChoice() {
  const maker = useCompose((s) => s.videoMaker);
  return (
    <ChoiceField<VideoMaker>
      label="Made by"
      value={maker}
      options={[
        { value: 'legnext', label: 'Midjourney' },
        { value: 'vidu', label: 'Vidu' },
      ]}
      onChange={setVideoMaker}
    />
  );
}

export function ViduComposeForm() {
  const id = useId();
  const draft = useCompose((s) => s.vidu);
  const submitting = useCompose((s) => s.submitting);
  const allModels = useProviders((s) => s.models);
  const modelsError = useProviders((s) => s.modelsError);
  const keys = useProviders((s) => s.keys);
  const endpoints = useProviders((s) => s.endpoints);
  const queue = useActivity((s) => s.queue);

  useEffect(() => {
    void loadProviders();
  }, []);

  const models = modelsOf(allModels, 'vidu').filter((m) => m.accepts.textOnly);
  const model = models.find((m) => m.id === draft.model) ?? models[0];
  const seed = parseSeed(draft.seed);
  const seedError = typeof seed === 'string' ? seed : null;
  const duration = model?.durations.includes(draft.duration) ? draft.duration : (model?.defaultDuration ?? 5);
  const aspect = model?.aspectRatios.includes(draft.aspectRatio)
    ? draft.aspectRatio
    : (model?.aspectRatios[0] ?? '16:9');

  const blocker = providerBlocker('vidu', keys, endpoints);
  const paused = queue?.paused.find((p) => p.provider === 'vidu');
  let reason: string | null = null;
  if (blocker) reason = blocker;
  else if (queue?.offline) reason = 'GenVault is offline; videos can be sent when the network is back.';
  else if (paused) reason = paused.reason;
  else if (!model) reason = modelsError ?? 'Loading the models…';
  else if (draft.text.trim() === '') reason = 'Describe the video first.';
  else if (seedError) reason = 'Fix the seed first.';

  const submit = async () => {
    try {
      // The draft may still name a default the model list corrected: send what is on screen.
      setVidu({ model: model!.id, duration, aspectRatio: aspect });
      const job = await submitCompose();
      toast('Vidu video started.', 'success', { label: 'Open', route: { view: 'job', id: job.id } });
    } catch (err) {
      toast(failureMessage(err), 'danger');
    }
  };

  return (
    <form
      className="panel compose-form"
      aria-label="Vidu video"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason && !submitting) void submit();
      }}
    >
      <div className="panel-body">
        <VideoMakerChoice />
        {blocker ? <SettingsBlocker text={blocker} /> : null}
        <div className="field">
          <label htmlFor={`${id}-text`}>What happens</label>
          <textarea
            id={`${id}-text`}
            className="textarea"
            rows={4}
            placeholder="A paper boat drifts down a rainy street at dusk, slow camera push-in"
            value={draft.text}
            onChange={(e) => setVidu({ text: e.target.value })}
          />
        </div>
        {model ? (
          <>
            <Field label="Model" htmlFor={`${id}-model`}>
              <ModelPicker
                id={`${id}-model`}
                models={models}
                value={model.id}
                images={false}
                onChange={(m) => setVidu({ model: m })}
              />
            </Field>
            <div className="controls">
              <DurationControl
                id={`${id}-duration`}
                model={model}
                value={duration}
                onChange={(d) => setVidu({ duration: d })}
              />
              <ChoiceField
                label="Aspect ratio"
                value={aspect}
                options={model.aspectRatios.map((a) => ({ value: a, label: a }))}
                onChange={(aspectRatio) => setVidu({ aspectRatio })}
              />
              <SeedField
                id={`${id}-seed`}
                value={draft.seed}
                error={seedError}
                onChange={(seed) => setVidu({ seed })}
              />
              <SoundSwitches audio={draft.audio} bgm={draft.bgm} onChange={setVidu} />
            </div>
          </>
        ) : (
          <ModelsLoading error={modelsError} />
        )}
      </div>
      <div className="compose-footer">
        <div className="compose-cost">
          <span>{model?.note ?? 'Billed by your UniAll gateway.'}</span>
        </div>
        <div className="compose-submit">
          <SubmitWithReason id={`${id}-reason`} reason={reason} busy={submitting} icon="video">
            Make Vidu video
          </SubmitWithReason>
        </div>
      </div>
    </form>
  );
}
