/**
 * The provider seam: what the queue, archive and library need from any remote API, in GenVault's own
 * terms. Each provider client turns its wire format into a `RemoteJobSnapshot`.
 */
import type { OutputKind, Provider } from '../../../shared/domain';

/** Remote status folded into the states the queue acts on. */
export type RemoteStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface RemoteOutput {
  kind: OutputKind;
  /** 0–3 for images and videos; 0 for the single grid. */
  index: number;
  url: string;
}

export interface RemoteJobSnapshot {
  provider: Provider;
  remoteId: string;
  /** The provider's task type (`diffusion`, `upscale`, … for Legnext). */
  taskType: string;
  status: RemoteStatus;
  /** ISO-8601 or null when the API left it unset (`0001-01-01T00:00:00Z` or ""). */
  createdAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  outputs: RemoteOutput[];
  /** Describe/shorten results; null for file-producing tasks. */
  text: { prompts: string[]; description: string | null } | null;
  seed: string | null;
  cost: { frozen: number; consumed: number };
  error: { code: string; message: string } | null;
  /** Legnext `output.available_actions`: follow-up name → allowed image indexes (or a flag). */
  availableActions: Record<string, number[] | boolean> | null;
  /** Progress 0–100 when the provider reports one. */
  progress: number | null;
  /** The response as received, stored for diagnosis (never contains the API key). */
  raw: unknown;
}

/** A request ready to send: which endpoint, which body. Built and validated by the provider's builders. */
export interface SubmitRequest {
  provider: Provider;
  /** Endpoint key, e.g. `diffusion`, `upscale`, `video-diffusion`. */
  op: string;
  /** The exact JSON body to POST; persisted with the job so a restart knows what was asked. */
  body: Record<string, unknown>;
}

export interface ProviderClient {
  readonly provider: Provider;
  submit(req: SubmitRequest, signal?: AbortSignal): Promise<RemoteJobSnapshot>;
  poll(remoteId: string, signal?: AbortSignal): Promise<RemoteJobSnapshot>;
}
