export { parsePrompt, normaliseVersion, DEFAULT_VERSION, DEFAULT_NIJI } from './parse';
export type { ParsedPrompt, PromptFlag, ParamValue } from './parse';
export {
  promptIssues,
  assertValidPrompt,
  isHttpUrl,
  isSupportedVersion,
  versionLabel,
  MAX_PROMPT_CHARS,
  SUPPORTED_VERSIONS,
} from './issues';
export type { PromptIssue, PromptContext, ModelVersion } from './issues';
export { estimateCost, TOPAZ_POINTS } from './cost';
export type { CostEstimate, CostOptions } from './cost';
export { FLAG_SPECS, flagSpec } from './flags';
export type { FlagSpec, FlagArity, FlagScope, FlagValueType } from './flags';
