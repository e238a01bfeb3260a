/**
 * Words every process shows for domain values. Kept free of zod and of any platform import, so the
 * renderer can import it at run time without pulling in the schemas.
 */
import type { Provider } from './domain';

/** What a person calls the model family behind each provider's jobs, in messages and labels. */
export const PROVIDER_LABELS: Record<Provider, string> = {
  legnext: 'Midjourney',
  leonardo: 'Leonardo',
  vidu: 'Vidu',
};
