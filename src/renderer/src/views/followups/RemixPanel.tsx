/** Remix: the image re-rendered from a new prompt, strongly or subtly. */
import { useState } from 'react';
import {
  Choice,
  Field,
  labelId,
  PanelFrame,
  PromptField,
  promptProblem,
  usePromptCheck,
  useValidation,
  type Problem,
} from './parts';
import { costOf, sendFollowUp, type PanelProps } from './types';

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
      availability={props.availability}
      blocker={props.blocker}
      alternatives={props.alternatives}
      cost={costOf(props.states)}
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
      <Field field="mode" label="Mode" error={validation.errorFor('mode')} labelFor={false}>
        <Choice<RemixMode>
          labelledBy={labelId('mode')}
          value={mode}
          onChange={setMode}
          options={[
            { value: 'strong', label: 'Strong' },
            { value: 'subtle', label: 'Subtle' },
          ]}
        />
      </Field>
    </PanelFrame>
  );
}
