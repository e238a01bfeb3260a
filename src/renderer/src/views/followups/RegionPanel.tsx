/**
 * Vary region (inpaint): outline one or more regions on the image, or give a black-and-white mask
 * image, and optionally say what goes there. Drawn regions are sent as `mask.areas` in the image's
 * pixels; a mask image as `maskImage`, which the core uploads and sends as `mask.url`.
 */
import { useState } from 'react';
import { GeometryError, toMaskAreas } from '../../../../shared/geometry';
import { MASK_MODES, MaskArea, maskImageProblem, useMaskImage, type MaskMode } from './MaskImageField';
import { useMaskHistory } from './mask-history';
import {
  ChoiceField,
  PanelFrame,
  PromptField,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { outputSrc, sendFollowUp, useOutputSize, type PanelProps } from './types';

/** `mask.areas` for the drawn regions, or the problem that stops them being sent. */
export function maskOf(
  regions: Parameters<typeof toMaskAreas>[0],
  size: Parameters<typeof toMaskAreas>[1] | null,
): { mask: ReturnType<typeof toMaskAreas> | null; problem: Problem | null } {
  if (!size) return { mask: null, problem: { field: 'mask', message: 'mask: the image is still loading.' } };
  try {
    return { mask: toMaskAreas(regions, size), problem: null };
  } catch (err) {
    if (err instanceof GeometryError) return { mask: null, problem: { field: 'mask', message: err.message } };
    throw err;
  }
}

export function RegionPanel(props: PanelProps) {
  const history = useMaskHistory();
  const [mode, setMode] = useState<MaskMode>('draw');
  const [prompt, setPrompt] = useState('');
  const [size, measure] = useOutputSize(props.output);
  const check = usePromptCheck(prompt, 'image');
  const maskImage = useMaskImage(size);
  const drawn = maskOf(history.regions, size);
  const problem = mode === 'draw' ? drawn.problem : maskImageProblem(maskImage, true);
  const problems = [problem, promptProblem('remixPrompt', prompt, check)].filter(
    (p): p is Problem => p !== null,
  );
  const validation = useValidation(problems, ['mask', 'maskImage', 'remixPrompt'], () =>
    sendFollowUp(props, 'inpaint', 'Vary region', {
      ...(mode === 'draw' ? { mask: drawn.mask } : { maskImage: maskImage.picked?.source }),
      remixPrompt: prompt.trim() || undefined,
    }),
  );
  const count = history.regions.length;
  const label = `Regions to repaint on image ${props.output.index + 1}`;
  return (
    <PanelFrame
      title="Vary region"
      icon="region"
      description="Outline what should change; Midjourney repaints only inside the regions, guided by the prompt."
      panel={props}
      submitLabel={
        mode === 'image' ? 'Repaint masked areas' : count > 1 ? `Repaint ${count} regions` : 'Repaint region'
      }
      validation={validation}
    >
      <ChoiceField<MaskMode>
        field="maskMode"
        label="What to repaint"
        value={mode}
        onChange={setMode}
        options={MASK_MODES}
      />
      <MaskArea
        mode={mode}
        history={history}
        maskImage={maskImage}
        src={outputSrc(props.output)}
        image={size}
        index={props.output.index}
        drawLabel={label}
        errorFor={validation.errorFor}
        onMeasure={measure}
      />
      <PromptField
        field="remixPrompt"
        label="What to paint there"
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={check}
        placeholder="e.g. a red paper boat; leave empty to keep the original prompt"
      />
    </PanelFrame>
  );
}
