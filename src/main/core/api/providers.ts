/**
 * Calls for the other video providers (Leonardo, Vidu): the model list the pickers show, submitting a
 * video, and where each provider's calls go. Images arrive as `ImageSource`s and are handed to the
 * core in the forms `Vault.videoWith` reads: `JOBID:N` for a library image, the absolute path of an
 * imported file, or the URL itself.
 */
import { existsSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import type { CallRequest, ImageSource, VideoModelView } from '../../../shared/contract';
import { ApiError, InvalidInputError } from '../errors';
import { toAbsolute } from '../library/paths';
import { FILE_REF_PREFIX, type ProviderVideoRequest } from '../provider-videos';
import {
  LEONARDO_MODEL_IDS,
  LEONARDO_MODELS,
  LeonardoClient,
  missingKeyError as leonardoMissingKey,
  resolutionLabel,
} from '../providers/leonardo';
import {
  isViduModelId,
  missingBaseUrlError,
  missingKeyError as viduMissingKey,
  VIDU_DEFAULT_DURATION,
  VIDU_MODEL_IDS,
  VIDU_MODELS,
} from '../providers/vidu';
import type { Vault } from '../vault';
import type { HandlerContext, HandlerGroup } from './handlers';
import { endpointViews } from './settings';
import { clientJobView } from './views';

const LEONARDO_NOTE = 'Billed in Leonardo API credits; Leonardo reports the cost when it accepts the job.';
const VIDU_NOTE = 'Billed by your UniAll gateway; it does not report a price before the video is made.';
const VIDU_OFFPEAK_NOTE =
  'Off-peak: cheaper, and it may wait many hours before it starts. Billed by your UniAll gateway.';

/** Every Leonardo and Vidu model with what it accepts, in picker order. */
export function videoModelViews(): VideoModelView[] {
  const leonardo = LEONARDO_MODEL_IDS.map((id): VideoModelView => {
    const caps = LEONARDO_MODELS[id];
    return {
      provider: 'leonardo',
      id,
      label: caps.label,
      accepts: { image: true, lastFrame: caps.features.endFrame, references: 0, textOnly: false },
      durations: [...caps.durations],
      defaultDuration: caps.defaultDuration,
      resolutions: caps.resolutions.map(resolutionLabel),
      defaultResolution: resolutionLabel(caps.defaultResolution),
      aspectRatios: [...caps.aspectRatios],
      audio: false,
      note: caps.durationSelectable
        ? LEONARDO_NOTE
        : `Makes ${caps.defaultDuration}-second clips. ${LEONARDO_NOTE}`,
    };
  });
  const vidu = VIDU_MODEL_IDS.map((id): VideoModelView => {
    const info = VIDU_MODELS[id];
    return {
      provider: 'vidu',
      id,
      label: info.label,
      accepts: {
        image: true,
        lastFrame: info.features.lastFrame,
        references: info.features.maxReferenceImages,
        textOnly: info.modes.includes('text_to_video'),
      },
      durations: [...info.durations],
      defaultDuration: VIDU_DEFAULT_DURATION,
      resolutions: [...info.resolutions],
      defaultResolution: info.resolution,
      aspectRatios: [...info.aspectRatios],
      audio: info.features.audio,
      note: info.offpeak ? VIDU_OFFPEAK_NOTE : VIDU_NOTE,
    };
  });
  return [...leonardo, ...vidu];
}

/**
 * An `ImageSource` in the form `Vault.videoWith` reads. An imported file is named by its absolute path
 * inside `<library>/inputs/`; one that is no longer there is refused here with a plain message rather
 * than being mistaken for a job reference.
 */
export function imageArg(root: string, source: ImageSource, field: string): string {
  switch (source.kind) {
    case 'output':
      return `${source.jobId}:${source.index}`;
    case 'url':
      return source.url;
    case 'file': {
      const file = toAbsolute(root, `inputs/${source.ref.slice(FILE_REF_PREFIX.length)}`);
      if (!existsSync(file)) {
        throw new InvalidInputError(
          `The image given as ${field} is no longer in the library's inputs folder; add it again.`,
          field,
        );
      }
      return file;
    }
  }
}

function requestOf(root: string, req: CallRequest<'jobs.videoWith'>): ProviderVideoRequest {
  return {
    provider: req.provider,
    prompt: req.prompt,
    model: req.model,
    from: req.from ? imageArg(root, req.from, 'from') : undefined,
    last: req.last ? imageArg(root, req.last, 'last') : undefined,
    refs: req.refs?.map((r, i) => imageArg(root, r, `refs[${i}]`)),
    duration: req.duration,
    // A Vidu model id names its resolution; the field is Leonardo's choice only.
    resolution: req.provider === 'leonardo' ? req.resolution : undefined,
    aspectRatio: req.aspectRatio,
    negativePrompt: req.negativePrompt,
    seed: req.seed,
    audio: req.audio,
    bgm: req.bgm,
    promptEnhance: req.promptEnhance,
  };
}

/** A Vidu model id names its resolution: a different one asked for is a mistake, not a choice. */
function checkViduResolution(model: string, resolution: string | undefined): void {
  if (resolution === undefined || !isViduModelId(model)) return;
  const info = VIDU_MODELS[model];
  if (info.resolution !== resolution) {
    throw new InvalidInputError(
      `${info.label} makes ${info.resolution} videos, not ${resolution}; pick the ${resolution} model instead.`,
      'resolution',
    );
  }
}

/** Printable ASCII without spaces: anything else cannot travel in an HTTP header, so it is a paste error. */
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;

function checkKeyCharacters(service: string, key: string): void {
  if (!KEY_CHARACTERS.test(key)) {
    throw new InvalidInputError(
      `This is not a ${service} API key: it has spaces or characters a key cannot contain.`,
      'key',
    );
  }
}

/** Spends nothing: `GET /me` with the candidate key, before anything is stored. */
export async function checkLeonardoKey(vault: Vault, key: string, dispatcher?: Dispatcher): Promise<void> {
  checkKeyCharacters('Leonardo', key);
  const client = new LeonardoClient({
    baseUrl: vault.leonardo().baseUrl,
    apiKey: async () => key,
    dispatcher: dispatcher ?? vault.dispatcher,
  });
  try {
    await client.me();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      throw new InvalidInputError(
        'Leonardo did not accept this API key; check that it was copied whole.',
        'key',
      );
    }
    throw err;
  }
}

/**
 * UniAll documents no call that checks a key without starting a video, so a UniAll key is only
 * checked for its form here; the gateway says whether it works on the first video.
 */
export function checkUniAllKey(key: string): void {
  checkKeyCharacters('UniAll', key);
}

export function providerHandlers(
  ctx: HandlerContext,
): HandlerGroup<'jobs.videoWith' | 'video.models' | 'providers.endpoints'> {
  const { vault } = ctx;
  const root = vault.library.root;
  return {
    'jobs.videoWith': async (req) => {
      // A job that could never be sent is refused now rather than failing in the queue later.
      if (!(await vault.keyStatus(req.provider)).set) {
        throw req.provider === 'leonardo' ? leonardoMissingKey() : viduMissingKey();
      }
      if (req.provider === 'vidu') {
        if (vault.vidu.baseUrl === null) throw missingBaseUrlError();
        checkViduResolution(req.model, req.resolution);
      }
      return clientJobView(root, await vault.videoWith(requestOf(root, req)));
    },
    'video.models': async () => videoModelViews(),
    'providers.endpoints': async () => endpointViews(vault),
  };
}
