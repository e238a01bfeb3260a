/** Enhance: a draft image (`--v 7 --draft`) rendered again at full quality. */
import { PanelFrame, useValidation } from './parts';
import { sendFollowUp, type PanelProps } from './types';

export function EnhancePanel(props: PanelProps) {
  const validation = useValidation([], [], () => sendFollowUp(props, 'enhance', 'Enhance draft', {}));
  return (
    <PanelFrame
      title="Enhance draft"
      icon="sparkle"
      description="Draft mode renders fast at half the cost; Enhance renders this draft again at full quality, keeping its composition."
      panel={props}
      submitLabel={`Enhance image ${props.output.index + 1}`}
      validation={validation}
    >
      <p className="muted small">Only offered for images made with --v 7 --draft.</p>
    </PanelFrame>
  );
}
