/**
 * Vary region (inpaint): outline one or more regions on the image and, optionally, say what goes
 * there. The regions are sent as `mask.areas` in the image's pixels.
 */
import { useState } from 'react';
import { GeometryError, toMaskAreas } from '../../../../shared/geometry';
import { MaskEditor } from './MaskEditor';
import { useMaskHistory } from './mask-history';
import { PanelFrame, PromptField, promptProblem, usePromptCheck, useValidation, type Problem } from './parts';
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
  const [prompt, setPrompt] = useState('');
  const [size, measure] = useOutputSize(props.output);
  const check = usePromptCheck(prompt, 'image');
  const { mask, problem } = maskOf(history.regions, size);
  const problems = [problem, promptProblem('remixPrompt', prompt, check)].filter(
    (p): p is Problem => p !== null,
  );
  const validation = useValidation(problems, ['mask', 'remixPrompt'], () =>
    sendFollowUp(props, 'inpaint', 'Vary region', { mask, remixPrompt: prompt.trim() || undefined }),
  );
  const count = history.regions.length;
  return (
    <PanelFrame
      title="Vary region"
      icon="region"
      description="Outline what should change; Midjourney repaints only inside the regions, guided by the prompt."
      panel={props}
      submitLabel={count > 1 ? `Repaint ${count} regions` : 'Repaint region'}
      validation={validation}
    >
      <MaskEditor
        src={outputSrc(props.output)}
        image={size}
        history={history}
        field="mask"
        label={`Regions to repaint on image ${props.output.index + 1}`}
        error={validation.errorFor('mask')}
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
