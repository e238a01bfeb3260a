/** Vary (subtle or strong), with an optional remix prompt that changes what the new images show. */
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
import { costOf, sendFollowUp, type PanelProps } from './types';

type VaryType = 'subtle' | 'strong';

export function VaryPanel(props: PanelProps) {
  const [type, setType] = useState<VaryType>('subtle');
  const [prompt, setPrompt] = useState('');
  const check = usePromptCheck(prompt, 'image');
  const problems = [promptProblem('remixPrompt', prompt, check)].filter((p): p is Problem => p !== null);
  const validation = useValidation(problems, ['type', 'remixPrompt'], () =>
    sendFollowUp(props, 'variation', `Vary (${type})`, { type, remixPrompt: prompt.trim() || undefined }),
  );
  return (
    <PanelFrame
      title="Vary with a prompt"
      icon="vary"
      description="Four new takes on this image. Subtle keeps the composition; strong wanders further. A remix prompt steers what changes."
      panel={props}
      cost={costOf(props.states, (s) => s.options.type === type)}
      submitLabel={`Vary image ${props.output.index + 1}`}
      validation={validation}
    >
      <ChoiceField<VaryType>
        field="type"
        label="Strength"
        error={validation.errorFor('type')}
        value={type}
        onChange={setType}
        options={[
          { value: 'subtle', label: 'Subtle' },
          { value: 'strong', label: 'Strong' },
        ]}
      />
      <PromptField
        field="remixPrompt"
        label="Remix prompt"
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('remixPrompt')}
        check={check}
        placeholder="Leave empty to vary with the original prompt"
        hint={
          props.job.prompt ? (
            <button type="button" className="link-button" onClick={() => setPrompt(props.job.prompt ?? '')}>
              Start from the original prompt
            </button>
          ) : undefined
        }
      />
    </PanelFrame>
  );
}
