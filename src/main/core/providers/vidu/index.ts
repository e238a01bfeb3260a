export {
  ViduClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  UNKNOWN_VIDU_TASK_TYPE,
  VIDU_GENERATIONS_PATH,
} from './client';
export type { ViduClientOptions } from './client';
export {
  apiErrorFromResponse,
  apiMessageOf,
  missingBaseUrlError,
  missingKeyError,
  MISSING_BASE_URL_MESSAGE,
  MISSING_KEY_MESSAGE,
} from './errors';
export { imageRefIssue, viduInputSchema, viduTaskTypeOf, VIDU_MAX_INLINE_IMAGE_BYTES } from './inputs';
export type { ParsedViduInput, ViduInput } from './inputs';
export * from './models';
export { buildViduRequest, parseViduInput } from './requests';
export { describeShape, normaliseViduTime, parseViduJob, progressOf, viduStatusOf } from './schemas';
export type { ParseViduJobOptions } from './schemas';
