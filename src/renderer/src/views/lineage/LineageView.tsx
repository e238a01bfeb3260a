/** `#/lineage/<id>`: a job's whole family as a full-size graph. */
import { useEffect } from 'react';
import { failureMessage } from '../../api';
import { Icon } from '../../components/Icon';
import { jobTitle } from '../../lib/jobs';
import { fetchJob, useJob } from '../../store/jobs';
import { showFamily } from '../../store/library';
import { useLineageStore } from '../../store/lineage';
import { navigate, toast } from '../../store/ui';
import { LineageGraph } from './LineageGraph';

export function LineageView({ id }: { id: string }) {
  const job = useJob(id);
  const count = useLineageStore((s) => s.byJob[id]?.lineage?.jobs.length ?? null);

  useEffect(() => {
    if (!job) void fetchJob(id).catch(() => undefined);
  }, [id, job]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key === 'Escape' && !target?.closest('input, textarea, select, dialog'))
        navigate({ view: 'job', id });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id]);

  return (
    <section className="view lineage-view" aria-labelledby="lineage-title">
      <header className="view-header">
        <button type="button" className="btn btn-ghost" onClick={() => navigate({ view: 'job', id })}>
          <Icon name="back" size={16} /> Job
        </button>
        <h1 id="lineage-title">Family of {job ? jobTitle(job).toLowerCase() : 'this job'}</h1>
        {count !== null ? (
          <span className="muted small">
            {count} {count === 1 ? 'job' : 'jobs'}
          </span>
        ) : null}
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          onClick={() => showFamily(id).catch((err: unknown) => toast(failureMessage(err), 'danger'))}
        >
          <Icon name="library" size={16} /> Show in library
        </button>
      </header>
      <div className="view-body">
        <LineageGraph jobId={id} />
      </div>
    </section>
  );
}
