/** Extend: four more seconds of this video, guided by an optional prompt; Legnext allows four extensions. */
import { useState } from 'react';
import type { LineageView } from '../../../../shared/contract';
import { MAX_VIDEO_EXTENDS } from './options';
import { PanelFrame, PromptField, promptProblem, usePromptCheck, useValidation, type Problem } from './parts';
import { sendFollowUp, type PanelProps } from './types';

/** How many extends led to this job (0 for a video that is not an extension). */
export function extendDepth(jobId: string, lineage: LineageView | null): number {
  let depth = 0;
  let current = jobId;
  const seen = new Set<string>();
  for (;;) {
    const edge = lineage?.edges.find((e) => e.childId === current && e.relation === 'extend');
    if (!edge || seen.has(edge.parentId)) return depth;
    seen.add(edge.parentId);
    depth++;
    current = edge.parentId;
  }
}

export function ExtendPanel(props: PanelProps) {
  const [prompt, setPrompt] = useState('');
  const check = usePromptCheck(prompt, 'video');
  const problems: Problem[] = [];
  if (/(^|\s)--(bs|batchsize)\b/i.test(prompt)) {
    problems.push({
      field: 'prompt',
      message: '--bs only applies when creating videos, not when extending one.',
    });
  }
  const issue = promptProblem('prompt', prompt, check);
  if (issue) problems.push(issue);
  const validation = useValidation(problems, ['prompt'], () =>
    sendFollowUp(props, 'extend-video', 'Extend video', { prompt: prompt.trim() || undefined }),
  );
  const next = extendDepth(props.job.id, props.lineage) + 1;
  return (
    <PanelFrame
      title="Extend video"
      icon="extend"
      description="Four more seconds that continue this video."
      panel={props}
      submitLabel={`Extend video ${props.output.index + 1}`}
      validation={validation}
    >
      <p className="extend-count">
        {next <= MAX_VIDEO_EXTENDS ? (
          <>
            This will be extension <strong>{next}</strong> of {MAX_VIDEO_EXTENDS}.
          </>
        ) : (
          <>All {MAX_VIDEO_EXTENDS} extensions are used.</>
        )}
      </p>
      <PromptField
        field="prompt"
        label="Prompt"
        value={prompt}
        onChange={setPrompt}
        error={validation.errorFor('prompt')}
        check={check}
        placeholder="What happens next; leave empty to simply continue"
      />
    </PanelFrame>
  );
}
