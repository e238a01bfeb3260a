/** Retexture: the same shapes and composition with new materials and surfaces, from a prompt. */
import { useState } from 'react';
import { PanelFrame, PromptField, promptProblem, usePromptCheck, useValidation, type Problem } from './parts';
import { sendOnImage, type PanelProps } from './types';

export function RetexturePanel(props: PanelProps) {
  const [prompt, setPrompt] = useState('');
  const check = usePromptCheck(prompt, 'image');
  const problems: Problem[] = [];
  if (prompt.trim() === '')
    problems.push({ field: 'remixPrompt', message: 'remixPrompt is required: describe the new materials.' });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);
  const validation = useValidation(problems, ['remixPrompt'], () =>
    sendOnImage(props, 'retexture', 'Retexture', { remixPrompt: prompt.trim() }),
  );
  return (
    <PanelFrame
      title="Retexture"
      icon="texture"
      description="Keep the shapes and composition, change what everything is made of. Works from the image itself, so the 3-day window does not apply."
      panel={props}
      submitLabel="Retexture"
      validation={validation}
    >
      <PromptField
        field="remixPrompt"
        label="New materials"
        required
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={check}
        placeholder="e.g. carved from pale marble, gold leaf edges"
      />
    </PanelFrame>
  );
}
