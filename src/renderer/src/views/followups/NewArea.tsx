/**
 * What Pan and Zoom out share: the canvas grows by a scale within the op's range and Midjourney paints
 * the new area, optionally from a prompt of its own (checked live by the core).
 */
import { useState } from 'react';
import {
  PromptField,
  ScaleField,
  promptProblem,
  usePromptCheck,
  type Problem,
  type PromptCheckState,
  type Validation,
} from './parts';

export interface NewArea {
  scale: number;
  setScale(scale: number): void;
  prompt: string;
  setPrompt(prompt: string): void;
  check: PromptCheckState;
  /** The scale's problem (out of range, blank) and the prompt's, for `useValidation`. */
  problems: Problem[];
  /** The prompt as sent: none when blank, so the original prompt carries on. */
  remixPrompt: string | undefined;
}

export function useNewArea(scaleProblem: (scale: number) => string | null): NewArea {
  const [scale, setScale] = useState(1.5);
  const [prompt, setPrompt] = useState('');
  const check = usePromptCheck(prompt, 'image');
  const problems: Problem[] = [];
  const scaleIssue = scaleProblem(scale);
  if (scaleIssue) problems.push({ field: 'scale', message: scaleIssue });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);
  return { scale, setScale, prompt, setPrompt, check, problems, remixPrompt: prompt.trim() || undefined };
}

/** The scale (slider and number, with its range in the hint) and the prompt for the new area. */
export function NewAreaFields({
  area,
  range,
  scaleHint,
  validation,
}: {
  area: NewArea;
  range: { min: number; max: number };
  /** What the scale does, after its range. */
  scaleHint: string;
  validation: Validation;
}) {
  return (
    <>
      <ScaleField
        field="scale"
        label="Scale"
        value={area.scale}
        min={range.min}
        max={range.max}
        step={0.05}
        onChange={area.setScale}
        error={validation.errorFor('scale')}
        hint={`${range.min}–${range.max.toFixed(1)}: ${scaleHint}`}
      />
      <PromptField
        field="remixPrompt"
        label="Prompt for the new area"
        value={area.prompt}
        onChange={area.setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={area.check}
        placeholder="Leave empty to continue the original prompt"
      />
    </>
  );
}
