/**
 * The follow-ups area of the job detail view: pick the image (or video), pick a follow-up, and its
 * panel opens below with its own controls. Every follow-up is listed with its cost, or marked
 * unavailable; an unavailable one still opens, to say why (with the date the 3-day window ended) and
 * what can be done instead.
 */
import '../../styles/followups.css';
import { useEffect } from 'react';
import type { FollowUpStateView, LineageView } from '../../../../shared/contract';
import type { JobView, OutputView } from '../../../../shared/domain';
import { Icon } from '../../components/Icon';
import { Media } from '../../components/Media';
import { useNowMinutes } from '../../hooks/useNow';
import { loadPrompt, setMode, setVideo } from '../../store/compose';
import { openPanel, setTarget, showFollowUpsFor, useFollowUps } from '../../store/followups';
import { navigate } from '../../store/ui';
import { FOLLOW_UP_PANELS, type AlternativeKind, type PanelGroup, type PanelSpec } from './panels';
import { Choice, type Alternative, type Availability } from './parts';

export const FOLLOW_UPS_SECTION_ID = 'followups';

interface Entry {
  spec: PanelSpec;
  states: FollowUpStateView[];
  availability: Availability;
  /** The lowest price among the states (Topaz varies by resolution). */
  cost: number;
  varies: boolean;
}

function availabilityOf(states: readonly FollowUpStateView[]): Availability {
  const enabled = states.some((s) => s.enabled);
  return { enabled, reason: enabled ? null : (states.find((s) => s.reason)?.reason ?? null) };
}

/** The job's prompt without image URLs in front, for a new prompt that starts with another image. */
function textOf(prompt: string | null): string {
  return (prompt ?? '').replace(/^(\s*https?:\/\/\S+)+\s*/i, '').trim();
}

function alternatives(
  kinds: readonly AlternativeKind[],
  job: JobView,
  output: OutputView,
  entries: readonly Entry[],
  now: number,
): Alternative[] {
  const onCdn = output.url !== null && Date.parse(job.cdnExpiresAt) > now ? output.url : null;
  const out: Alternative[] = [];
  for (const kind of kinds) {
    if (kind === 'image-prompt' && onCdn) {
      out.push({
        label: 'Use as image prompt',
        icon: 'compose',
        run: () => {
          loadPrompt(`${onCdn} ${textOf(job.prompt)}`.trim());
          navigate({ view: 'compose' });
        },
      });
    } else if (kind === 'animate-url' && onCdn) {
      out.push({
        label: 'Animate from the image URL',
        icon: 'video',
        run: () => {
          setMode('video');
          setVideo({ imageUrl: onCdn, text: textOf(job.prompt) });
          navigate({ view: 'compose' });
        },
      });
    } else if (kind === 'paint' && entries.some((e) => e.spec.id === 'paint' && e.availability.enabled)) {
      out.push({ label: 'Paint on a canvas', icon: 'brush', run: () => openPanel('paint') });
    }
  }
  return out;
}

const GROUP_ORDER: readonly PanelGroup[] = ['Change', 'Extend', 'Enhance', 'Animate', 'Video'];

export function FollowUpHost({
  job,
  followUps,
  lineage,
  blocker,
}: {
  job: JobView;
  followUps: FollowUpStateView[] | null;
  lineage: LineageView | null;
  blocker: string | null;
}) {
  const now = useNowMinutes();
  const kind = job.outputs.some((o) => o.kind === 'video') ? 'video' : 'image';
  const indexes = new Set((followUps ?? []).map((f) => f.index));
  const targets = job.outputs
    .filter((o) => o.kind === kind && indexes.has(o.index))
    .sort((a, b) => a.index - b.index);
  const first = targets[0]?.index ?? 0;
  const target = useFollowUps((s) => (s.jobId === job.id ? s.target : first));
  const open = useFollowUps((s) => (s.jobId === job.id ? s.open : null));

  useEffect(() => showFollowUpsFor(job.id, first), [job.id, first]);

  const output = targets.find((o) => o.index === target) ?? targets[0];
  if (!followUps || !output) return null;

  const entries: Entry[] = [];
  for (const spec of FOLLOW_UP_PANELS) {
    const states = followUps.filter((f) => f.op === spec.op && f.index === output.index);
    if (states.length === 0) continue;
    const availability = availabilityOf(states);
    if (spec.onlyWhenEnabled && !availability.enabled) continue;
    const costs = states.map((s) => s.cost);
    entries.push({ spec, states, availability, cost: Math.min(...costs), varies: new Set(costs).size > 1 });
  }
  if (entries.length === 0) return null;
  const openEntry = entries.find((e) => e.spec.id === open) ?? null;
  const noun = kind === 'video' ? 'Video' : 'Image';

  return (
    <section className="panel fu-host" id={FOLLOW_UPS_SECTION_ID} aria-labelledby="fu-host-title">
      <header className="fu-host-head">
        <div>
          <h2 id="fu-host-title" tabIndex={-1}>
            Follow-ups
          </h2>
          <p className="muted small">
            Each opens with its own controls; the cost is shown before anything is sent.
          </p>
        </div>
        {targets.length > 1 ? (
          <Choice<number>
            label={`${noun} to follow up`}
            value={output.index}
            onChange={setTarget}
            className="segmented fu-targets"
            options={targets.map((o) => ({
              value: o.index,
              label: (
                <>
                  <span className="fu-target-thumb" aria-hidden="true">
                    <Media output={o} size="thumb" alt="" />
                  </span>
                  {noun} {o.index + 1}
                </>
              ),
            }))}
          />
        ) : null}
      </header>
      <div className="fu-ops">
        {GROUP_ORDER.map((group) => {
          const inGroup = entries.filter((e) => e.spec.group === group);
          if (inGroup.length === 0) return null;
          return (
            <div key={group} className="fu-op-group" role="group" aria-label={group}>
              <span className="fu-op-group-name" aria-hidden="true">
                {group}
              </span>
              <div className="fu-op-list">
                {inGroup.map((e) => {
                  const isOpen = open === e.spec.id;
                  return (
                    <button
                      key={e.spec.id}
                      type="button"
                      className={`fu-op${isOpen ? ' open' : ''}${e.availability.enabled ? '' : ' closed'}`}
                      aria-expanded={isOpen}
                      aria-controls={isOpen ? 'fu-open-panel' : undefined}
                      title={e.availability.reason ?? undefined}
                      onClick={() => openPanel(isOpen ? null : e.spec.id)}
                    >
                      <Icon name={e.spec.icon} size={16} />
                      <span className="fu-op-name">{e.spec.title}</span>
                      {e.availability.enabled ? (
                        <span className="fu-op-cost">
                          {e.varies ? 'from ' : ''}
                          {e.cost}
                          <span className="visually-hidden"> points</span>
                        </span>
                      ) : (
                        <span className="fu-op-cost">Unavailable</span>
                      )}
                    </button>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
      {openEntry ? (
        <div className="fu-open" id="fu-open-panel">
          <openEntry.spec.Component
            key={`${openEntry.spec.id}:${output.kind}:${output.index}`}
            job={job}
            output={output}
            states={openEntry.states}
            availability={openEntry.availability}
            blocker={blocker}
            alternatives={alternatives(openEntry.spec.alternatives, job, output, entries, now)}
            lineage={lineage}
          />
        </div>
      ) : null}
    </section>
  );
}
