/** Remix: the image re-rendered from a new prompt, strongly or subtly. */
import { useState } from 'react';
import {
  ChoiceField,
  PanelFrame,
  PromptField,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { sendFollowUp, type PanelProps } from './types';

type RemixMode = 'strong' | 'subtle';

export function RemixPanel(props: PanelProps) {
  const [mode, setMode] = useState<RemixMode>('strong');
  const [prompt, setPrompt] = useState(props.job.prompt ?? '');
  const check = usePromptCheck(prompt, 'image');
  const problems: Problem[] = [];
  if (prompt.trim() === '')
    problems.push({
      field: 'remixPrompt',
      message: 'remixPrompt is required: say what the image should become.',
    });
  const issue = promptProblem('remixPrompt', prompt, check);
  if (issue) problems.push(issue);
  const validation = useValidation(problems, ['mode', 'remixPrompt'], () =>
    sendFollowUp(props, 'remix', `Remix (${mode})`, { remixPrompt: prompt.trim(), mode }),
  );
  return (
    <PanelFrame
      title="Remix"
      icon="compose"
      description="Render this image again from an edited prompt. Strong follows the new prompt; subtle keeps more of the original."
      panel={props}
      submitLabel={`Remix image ${props.output.index + 1}`}
      validation={validation}
    >
      <PromptField
        field="remixPrompt"
        label="New prompt"
        required
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={check}
      />
      <ChoiceField<RemixMode>
        field="mode"
        label="Mode"
        error={validation.errorFor('mode')}
        value={mode}
        onChange={setMode}
        options={[
          { value: 'strong', label: 'Strong' },
          { value: 'subtle', label: 'Subtle' },
        ]}
      />
    </PanelFrame>
  );
}
