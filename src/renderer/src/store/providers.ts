/**
 * The video providers beside Legnext (Leonardo, UniAll's Vidu): their models, where their calls go,
 * their key status (never a key: only whether it is set and its last 4 characters), the "Animate
 * with…" drafts of each library image, and bringing dropped image files into the library.
 */
import { create } from 'zustand';
import type {
  CallRequest,
  ImageSource,
  ImportedFileView,
  KeyStatusView,
  ProviderEndpointView,
  VideoModelView,
} from '../../../shared/contract';
import type { JobView, Provider } from '../../../shared/domain';
import { PROVIDER_LABELS } from '../../../shared/labels';
import { call, failureMessage } from '../api';
import { noteJob } from './activity';
import { putJob } from './jobs';

export type VideoProvider = Exclude<Provider, 'legnext'>;
export type AnimateProvider = Provider;
/** Vidu with a start image: animate it (optionally towards a last frame), or use it as a reference. */
export type ViduImageMode = 'frames' | 'references';

/** An image chosen for a slot (last frame, reference), with what the panel shows for it. */
export interface PickedImage {
  source: ImageSource;
  /** Shown under the thumbnail: the file name, or "Image 2 of <job>". */
  label: string;
  /** A URL the page can show (a blob: URL of the dropped file, or the library file). */
  preview: string | null;
}

export interface AnimateDraft {
  provider: AnimateProvider;
  /** Model id per provider, so switching back keeps the choice. */
  model: Record<VideoProvider, string>;
  prompt: string;
  duration: number | null;
  resolution: string | null;
  aspectRatio: string;
  viduMode: ViduImageMode;
  last: PickedImage | null;
  /** Reference images besides this one (Vidu reference mode). */
  refs: PickedImage[];
  negativePrompt: string;
  seed: string;
  promptEnhance: boolean;
  audio: boolean;
  bgm: boolean;
  /** Legnext (Midjourney video). */
  motion: 'low' | 'high';
  loop: boolean;
  quality: 480 | 720;
}

interface ProvidersState {
  models: VideoModelView[] | null;
  modelsError: string | null;
  endpoints: ProviderEndpointView[] | null;
  keys: Partial<Record<VideoProvider, KeyStatusView>>;
  /** `jobId:index` → the "Animate with…" draft of that image. */
  drafts: Record<string, AnimateDraft>;
  /** Draft keys being sent, to disable their buttons meanwhile. */
  sending: string[];
}

export const useProviders = create<ProvidersState>()(() => ({
  models: null,
  modelsError: null,
  endpoints: null,
  keys: {},
  drafts: {},
  sending: [],
}));

export const PROVIDER_NAMES: Record<Provider, string> = PROVIDER_LABELS;

/** The company whose key and base URL each provider needs. */
export const ACCOUNT_NAMES: Record<Provider, string> = {
  legnext: 'Legnext',
  leonardo: 'Leonardo',
  vidu: 'UniAll',
};

export const DEFAULT_MODELS: Record<VideoProvider, string> = {
  leonardo: 'KLING2_5',
  vidu: 'viduq3p-720p',
};

let modelsLoad: Promise<void> | null = null;

/** The model tables never change while the app runs: asked once (again after a failure). */
function loadModels(): Promise<void> {
  modelsLoad ??= call('video.models', {}).then(
    (models) => useProviders.setState({ models, modelsError: null }),
    (err: unknown) => {
      modelsLoad = null;
      useProviders.setState({ modelsError: failureMessage(err) });
    },
  );
  return modelsLoad;
}

/** Models, where each provider's calls go, and whether its key is set. */
export async function loadProviders(): Promise<void> {
  await Promise.all([loadModels(), refreshEndpoints(), refreshKeys()]);
}

export async function refreshEndpoints(): Promise<void> {
  try {
    useProviders.setState({ endpoints: await call('providers.endpoints', {}) });
  } catch {
    // Settings shows the fields without the "calls go to" line until the next refresh.
  }
}

export async function refreshKeys(): Promise<void> {
  try {
    const [leonardo, vidu] = await Promise.all([
      call('keys.status', { provider: 'leonardo' }),
      call('keys.status', { provider: 'vidu' }),
    ]);
    useProviders.setState({ keys: { leonardo, vidu } });
  } catch {
    // Unknown key status blocks nothing: the core refuses a video without a key, in plain words.
  }
}

/** Checks (Leonardo: with Leonardo; UniAll: its form only) and stores a key; rejects with the reason. */
export async function saveProviderKey(provider: VideoProvider, key: string): Promise<KeyStatusView> {
  const status = await call('keys.set', { provider, key: key.trim() });
  useProviders.setState((s) => ({ keys: { ...s.keys, [provider]: status } }));
  return status;
}

export async function removeProviderKey(provider: VideoProvider): Promise<void> {
  const status = await call('keys.clear', { provider });
  useProviders.setState((s) => ({ keys: { ...s.keys, [provider]: status } }));
}

export function modelsOf(
  models: readonly VideoModelView[] | null,
  provider: VideoProvider,
): VideoModelView[] {
  return (models ?? []).filter((m) => m.provider === provider);
}

export function endpointOf(
  endpoints: readonly ProviderEndpointView[] | null,
  provider: Provider,
): ProviderEndpointView | undefined {
  return endpoints?.find((e) => e.provider === provider);
}

/**
 * Why a video cannot be sent to `provider` right now (no key, no gateway URL), or null. Reads the
 * state as last loaded: the core refuses again, with its own words, if it changed meanwhile.
 */
export function providerBlocker(
  provider: VideoProvider,
  keys: ProvidersState['keys'],
  endpoints: readonly ProviderEndpointView[] | null,
): string | null {
  const key = keys[provider];
  if (key && !key.set) return `Add your ${ACCOUNT_NAMES[provider]} API key in Settings first.`;
  if (provider === 'vidu' && endpointOf(endpoints, 'vidu')?.url === null) {
    return 'Set your UniAll gateway URL in Settings first: UniAll has no public address.';
  }
  return null;
}

// ── "Animate with…" drafts ──────────────────────────────────────────────────────────────────────

export function draftKey(jobId: string, index: number): string {
  return `${jobId}:${index}`;
}

export const EMPTY_DRAFT: AnimateDraft = {
  provider: 'leonardo',
  model: { ...DEFAULT_MODELS },
  prompt: '',
  duration: null,
  resolution: null,
  aspectRatio: '16:9',
  viduMode: 'frames',
  last: null,
  refs: [],
  negativePrompt: '',
  seed: '',
  promptEnhance: false,
  audio: false,
  bgm: false,
  motion: 'low',
  loop: false,
  quality: 480,
};

export function useDraft(key: string): AnimateDraft {
  return useProviders((s) => s.drafts[key] ?? EMPTY_DRAFT);
}

export function updateDraft(key: string, patch: Partial<AnimateDraft>): void {
  useProviders.setState((s) => ({
    drafts: { ...s.drafts, [key]: { ...(s.drafts[key] ?? EMPTY_DRAFT), ...patch } },
  }));
}

/** Adds a reference image; several may arrive from one drop, so each reads the latest draft. */
export function addReference(key: string, image: PickedImage): void {
  useProviders.setState((s) => {
    const draft = s.drafts[key] ?? EMPTY_DRAFT;
    return { drafts: { ...s.drafts, [key]: { ...draft, refs: [...draft.refs, image] } } };
  });
}

export function removeReference(key: string, image: PickedImage): void {
  releasePicked(image);
  useProviders.setState((s) => {
    const draft = s.drafts[key] ?? EMPTY_DRAFT;
    return { drafts: { ...s.drafts, [key]: { ...draft, refs: draft.refs.filter((r) => r !== image) } } };
  });
}

/** Frees the preview of a dropped file that is no longer shown. */
export function releasePicked(image: PickedImage | null): void {
  if (image?.preview?.startsWith('blob:')) URL.revokeObjectURL(image.preview);
}

/** A model change resets duration and resolution to the new model's defaults. */
export function chooseModel(key: string, provider: VideoProvider, model: string): void {
  const draft = useProviders.getState().drafts[key] ?? EMPTY_DRAFT;
  updateDraft(key, { model: { ...draft.model, [provider]: model }, duration: null, resolution: null });
}

async function sending<T>(key: string, run: () => Promise<T>): Promise<T> {
  useProviders.setState((s) => ({ sending: [...s.sending, key] }));
  try {
    return await run();
  } finally {
    useProviders.setState((s) => ({ sending: s.sending.filter((k) => k !== key) }));
  }
}

/** Sends a Leonardo or Vidu video; the new job goes into the cache and Activity. */
export async function submitVideoWith(key: string, request: CallRequest<'jobs.videoWith'>): Promise<JobView> {
  return sending(key, async () => {
    const job = await call('jobs.videoWith', request);
    putJob(job);
    noteJob(job);
    return job;
  });
}

/** Sends a Midjourney video of one library image (Legnext's video-diffusion follow-up). */
export async function submitLegnextAnimate(
  key: string,
  jobId: string,
  index: number,
  draft: Pick<AnimateDraft, 'prompt' | 'motion' | 'loop' | 'quality'>,
): Promise<JobView> {
  const flags = [draft.motion === 'high' ? '--motion high' : '', draft.loop ? '--loop' : ''];
  const prompt = [draft.prompt.trim(), ...flags].filter(Boolean).join(' ');
  return sending(key, async () => {
    const job = await call('jobs.followUp', {
      op: 'video-diffusion',
      id: jobId,
      index,
      options: { quality: draft.quality, ...(prompt ? { prompt } : {}) },
    });
    putJob(job);
    noteJob(job);
    return job;
  });
}

// ── dropped images ──────────────────────────────────────────────────────────────────────────────

export const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
/** What `files.import` takes (30 MB); Vidu inlines at most 10 MB, and says so when sent. */
export const MAX_IMPORT_BYTES = 30 * 1024 * 1024;

function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  // Chunks keep `String.fromCharCode` within the argument limits of every engine.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Stores a file from the computer in the library (`files.import`); the core checks it is an image. */
export async function importImageFile(file: File): Promise<ImportedFileView> {
  if (file.size > MAX_IMPORT_BYTES) {
    throw new Error(`${file.name} is larger than the 30 MB GenVault takes for an image.`);
  }
  return call('files.import', { name: file.name, dataBase64: base64Of(await file.arrayBuffer()) });
}
