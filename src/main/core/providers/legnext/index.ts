export { LegnextClient, DEFAULT_LEGNEXT_BASE_URL, DEFAULT_REQUEST_TIMEOUT_MS } from './client';
export type { LegnextClientOptions, LegnextBalance, LegnextActiveTask } from './client';
export { parseLegnextJob, normaliseOutputs, normaliseTimestamp, remoteStatusOf } from './schemas';
export { apiErrorFromResponse, parseRetryAfter, missingKeyError, MISSING_KEY_MESSAGE } from './errors';
export * from './requests';
export { followUpBlocker, isFollowUpOp, FOLLOW_UP_OPS, MAX_VIDEO_EXTENDS } from './followups';
export type { FollowUpParent, FollowUpInfo, FollowUpOp } from './followups';
export { normaliseTaskType } from './ops';
