/** Which service made a job, as the library shows it: the provider and, for video services, the model. */
import type { JobView, Provider } from '../../../../shared/domain';
import { PROVIDER_LABELS } from '../../../../shared/labels';

export const PROVIDER_OPTIONS: ReadonlyArray<{ value: Provider; label: string }> = [
  { value: 'legnext', label: 'Legnext (Midjourney)' },
  { value: 'leonardo', label: 'Leonardo' },
  { value: 'vidu', label: 'Vidu (UniAll)' },
];

/** The model a Leonardo or Vidu job ran on (`MOTION2`, `viduq3p-720p`), when the job recorded it. */
export function providerModel(job: Pick<JobView, 'provider' | 'params'>): string | null {
  if (job.provider === 'legnext') return null;
  const model = job.params.model;
  return typeof model === 'string' && model !== '' ? model : null;
}

/** "Midjourney", "Leonardo · MOTION2", "Vidu · viduq3p-720p". */
export function providerBadgeText(job: Pick<JobView, 'provider' | 'params'>): string {
  const model = providerModel(job);
  const name = PROVIDER_LABELS[job.provider] ?? job.provider;
  return model ? `${name} · ${model}` : name;
}

/** Full words for titles and screen readers: "Made with Midjourney through Legnext". */
export function providerTitle(job: Pick<JobView, 'provider' | 'params'>): string {
  const model = providerModel(job);
  switch (job.provider) {
    case 'legnext':
      return 'Made with Midjourney through Legnext';
    case 'leonardo':
      return model ? `Made with Leonardo, model ${model}` : 'Made with Leonardo';
    case 'vidu':
      return model ? `Made with Vidu through UniAll, model ${model}` : 'Made with Vidu through UniAll';
  }
}
