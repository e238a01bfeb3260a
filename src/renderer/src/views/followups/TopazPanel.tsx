/**
 * Topaz upscale (enhance-upscale): a resolution from HD to 12K, each with its price, the model for
 * the kind of picture, face enhancement, output format, and an optional new aspect ratio with how to
 * reach it. Inside the 3-day window it is sent on the job (`jobId` + `imageNo`); after it, from the
 * image itself, which Topaz accepts as well.
 */
import { useState } from 'react';
import { useNowMinutes } from '../../hooks/useNow';
import { formatNumber, formatPoints } from '../../lib/format';
import { followUpsUntil } from '../../lib/jobs';
import {
  TOPAZ_ASPECT_RATIOS,
  TOPAZ_CONTENT_TYPES,
  TOPAZ_CROP_MODES,
  TOPAZ_DEFAULT_RESOLUTION,
  TOPAZ_FACE_LEVELS,
  TOPAZ_OUTPUT_FORMATS,
  TOPAZ_RESOLUTIONS,
} from './options';
import { ChoiceField, Field, PanelFrame, controlProps, labelId, useValidation } from './parts';
import { costOf, sendFollowUp, sendOnImage, type PanelProps } from './types';

type Resolution = (typeof TOPAZ_RESOLUTIONS)[number]['value'];

export function TopazPanel(props: PanelProps) {
  const [resolution, setResolution] = useState<Resolution>(TOPAZ_DEFAULT_RESOLUTION);
  const [contentType, setContentType] = useState<string>('standard');
  const [face, setFace] = useState<string>('moderate');
  const [format, setFormat] = useState<string>('jpeg');
  const [aspect, setAspect] = useState<string>('keep');
  const [crop, setCrop] = useState<string>('letterbox');
  const now = useNowMinutes();
  const onJob = followUpsUntil(props.job, now) !== null;
  const costFor = (r: string) => costOf(props.states.filter((s) => s.options.targetResolution === r));

  const validation = useValidation([], [], () => {
    const options = {
      targetResolution: resolution,
      contentType,
      faceEnhancementLevel: face,
      outputFormat: format,
      aspectRatio: aspect,
      ...(aspect === 'keep' ? {} : { cropMode: crop }),
    };
    const label = `Topaz upscale (${resolution})`;
    if (onJob) sendFollowUp(props, 'enhance-upscale', label, options);
    else sendOnImage(props, 'enhance-upscale', label, options);
  });

  return (
    <PanelFrame
      title="Topaz upscale"
      icon="upscale"
      description="Upscale with Topaz Labs to as much as 12K on the long edge. Higher resolutions cost more and take longer."
      panel={props}
      cost={costFor(resolution)}
      submitLabel={`Upscale to ${resolution}`}
      validation={validation}
    >
      <Field
        field="targetResolution"
        label="Resolution"
        error={validation.errorFor('targetResolution')}
        labelFor={false}
      >
        <div className="topaz-resolutions" role="radiogroup" aria-labelledby={labelId('targetResolution')}>
          {TOPAZ_RESOLUTIONS.map((r) => {
            const cost = costFor(r.value);
            return (
              <label key={r.value} className={`topaz-resolution${resolution === r.value ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="topaz-resolution"
                  value={r.value}
                  checked={resolution === r.value}
                  onChange={() => setResolution(r.value)}
                />
                <strong>{r.value}</strong>
                <span className="muted small">{formatNumber(r.longEdge)} px</span>
                <span className="topaz-cost">{cost === null ? '—' : formatPoints(cost)}</span>
              </label>
            );
          })}
        </div>
      </Field>
      <div className="fu-grid">
        <Field field="contentType" label="Content" error={validation.errorFor('contentType')}>
          <select
            {...controlProps('contentType', validation.errorFor('contentType'))}
            className="select input-sm"
            value={contentType}
            onChange={(e) => setContentType(e.target.value)}
          >
            {TOPAZ_CONTENT_TYPES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label} · {c.hint}
              </option>
            ))}
          </select>
        </Field>
        <Field
          field="faceEnhancementLevel"
          label="Face enhancement"
          error={validation.errorFor('faceEnhancementLevel')}
        >
          <select
            {...controlProps('faceEnhancementLevel', validation.errorFor('faceEnhancementLevel'))}
            className="select input-sm"
            value={face}
            onChange={(e) => setFace(e.target.value)}
          >
            {TOPAZ_FACE_LEVELS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </Field>
        <Field field="outputFormat" label="File format" error={validation.errorFor('outputFormat')}>
          <select
            {...controlProps('outputFormat', validation.errorFor('outputFormat'))}
            className="select input-sm"
            value={format}
            onChange={(e) => setFormat(e.target.value)}
          >
            {TOPAZ_OUTPUT_FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </Field>
        <Field field="aspectRatio" label="Aspect ratio" error={validation.errorFor('aspectRatio')}>
          <select
            {...controlProps('aspectRatio', validation.errorFor('aspectRatio'))}
            className="select input-sm"
            value={aspect}
            onChange={(e) => setAspect(e.target.value)}
          >
            {TOPAZ_ASPECT_RATIOS.map((a) => (
              <option key={a} value={a}>
                {a === 'keep' ? 'Keep the image’s own' : a}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ChoiceField<string>
        field="cropMode"
        label="Reaching the new aspect ratio"
        error={validation.errorFor('cropMode')}
        hint={
          aspect === 'keep'
            ? 'Only used when the aspect ratio changes.'
            : TOPAZ_CROP_MODES.find((c) => c.value === crop)?.hint
        }
        value={crop}
        onChange={setCrop}
        options={TOPAZ_CROP_MODES.map((c) => ({ value: c.value, label: c.label, title: c.hint }))}
      />
      {!onJob ? (
        <p className="muted small">The 3-day window has ended, so the image itself is sent to Topaz.</p>
      ) : null}
    </PanelFrame>
  );
}
