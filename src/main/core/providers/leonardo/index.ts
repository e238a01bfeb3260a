export {
  LeonardoClient,
  DEFAULT_LEONARDO_BASE_URL,
  DEFAULT_REQUEST_TIMEOUT_MS,
  INIT_IMAGE_EXTENSIONS,
} from './client';
export type { LeonardoClientOptions, InitImageExtension } from './client';
export {
  LEONARDO_MODELS,
  LEONARDO_MODEL_IDS,
  LEONARDO_RESOLUTIONS,
  DEFAULT_LEONARDO_MODEL,
  MOTION2_MAX_SEED,
  MAX_SEED,
  isLeonardoModel,
  resolutionLabel,
} from './models';
export type {
  LeonardoModel,
  LeonardoResolution,
  LeonardoModelCapabilities,
  LeonardoModelFeatures,
  VideoSize,
} from './models';
export {
  leonardoVideoInputSchema,
  endFrameImageSchema,
  elementInputSchema,
  LEONARDO_IMAGE_TYPES,
  MAX_NEGATIVE_PROMPT_CHARS,
  isLeonardoId,
} from './inputs';
export type { LeonardoVideoInput, ParsedLeonardoVideoInput, LeonardoImageType } from './inputs';
export {
  buildLeonardoRequest,
  parseLeonardoInput,
  LEONARDO_IMAGE_TO_VIDEO_OP,
  LEONARDO_TASK_TYPE,
} from './requests';
export {
  parseLeonardoSubmit,
  parseLeonardoGeneration,
  parseInitImageUpload,
  parseLeonardoMe,
  leonardoStatusOf,
  normaliseLeonardoTime,
} from './schemas';
export type { InitImageUpload, LeonardoAccount } from './schemas';
export { apiErrorFromResponse, missingKeyError, MISSING_KEY_MESSAGE } from './errors';
