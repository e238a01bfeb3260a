/**
 * What Legnext would reject (or Midjourney would refuse) in a prompt, found before a request is spent.
 * Every rule comes from the Legnext docs: "Important Information", "Model Information" (the model
 * parameter comparison table), "Image Parameters" and "Video Parameters"; DESIGN.md §3 lists the
 * ones that bite most often. Each issue names the flag as the user typed it.
 */
import { InvalidInputError } from '../errors';
import { flagSpec } from './flags';
import { normaliseVersion, parseNumber, parsePrompt } from './parse';
import type { ParsedPrompt, PromptFlag } from './parse';

export interface PromptIssue {
  /** The offending flag as typed (`--q`), or null for an issue with the prompt as a whole. */
  flag: string | null;
  message: string;
}

export interface PromptContext {
  kind: 'image' | 'video';
  /** How messages refer to the prompt (`the remix prompt`); default `the prompt`. */
  label?: string;
}

export const MAX_PROMPT_CHARS = 8192;

export const SUPPORTED_VERSIONS = ['6', '6.1', '7', '8', '8.1', 'niji 6'] as const;
export type ModelVersion = (typeof SUPPORTED_VERSIONS)[number];

export function isSupportedVersion(version: string): version is ModelVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(version);
}

/** `--quality` values per model, from the model parameter comparison table (v8.1 removed it). */
const QUALITY_VALUES: Record<ModelVersion, readonly number[] | null> = {
  '6': [1, 2],
  '6.1': [0.5, 1, 2],
  '7': [1, 2, 4],
  '8': [1, 4],
  '8.1': null,
  'niji 6': [0.5, 1, 2],
};

/** `--sv` values per model: v8 only has the legacy premium style version 6. */
const STYLE_VERSIONS: Record<ModelVersion, readonly number[]> = {
  '6': [1, 2, 3, 4],
  '6.1': [1, 2, 3, 4],
  '7': [1, 2, 3, 4],
  '8': [6],
  '8.1': [1, 2, 3, 4],
  'niji 6': [1, 2, 3, 4],
};

/**
 * Flags only some models accept (🚫 cells of the comparison table). `removed` marks the v8.1 removals
 * the docs say are rejected with HTTP 400, which get the stronger wording.
 */
const MODEL_ONLY: Record<string, { models: readonly ModelVersion[]; removedIn?: readonly ModelVersion[] }> = {
  stop: { models: ['6', '6.1', '7', 'niji 6'] },
  hd: { models: ['8', '8.1'] },
  turbo: { models: ['6', '6.1', '7', 'niji 6'], removedIn: ['8', '8.1'] },
  no: { models: ['6.1', '7', '8'], removedIn: ['8.1'] },
  oref: { models: ['7', '8'], removedIn: ['8.1'] },
  ow: { models: ['7', '8'], removedIn: ['8.1'] },
  cref: { models: ['6', '6.1', '7', 'niji 6'], removedIn: ['8.1'] },
  cw: { models: ['6', '6.1', '7', 'niji 6'], removedIn: ['8.1'] },
  quality: { models: ['6', '6.1', '7', '8', 'niji 6'], removedIn: ['8.1'] },
  sd: { models: ['6', '6.1', '7', '8', 'niji 6'], removedIn: ['8.1'] },
  draft: { models: ['7'] },
  exp: { models: ['7', '8', '8.1'] },
  profile: { models: ['7', '8', '8.1'] },
};

/** Whole-number ranges from the parameter tables. `--cw` and `--ow` ranges are Midjourney's own (Legnext's tables omit them). */
const INTEGER_RANGES: Record<string, readonly [number, number]> = {
  stylize: [0, 1000],
  chaos: [0, 100],
  weird: [0, 3000],
  seed: [0, 4294967295],
  stop: [10, 100],
  sw: [0, 1000],
  cw: [0, 100],
  ow: [1, 1000],
  exp: [0, 100],
};

const DECIMAL_RANGES: Record<string, readonly [number, number]> = { iw: [0, 3] };

const UNSUPPORTED: Record<string, string> = {
  repeat: 'is not supported by Legnext; submit the prompt several times instead',
  personalize: 'is not supported by Legnext; use --p with a profile code instead',
  stealth: 'is not supported by Legnext',
  public: 'is not supported by Legnext',
  relax: 'is not supported by Legnext (only fast and turbo speed modes exist)',
};

const BATCH_SIZES = [1, 2, 4];
const MOTION_VALUES = ['low', 'high'];
const ASPECT = /^(\d+):(\d+)$/;
const SREF_CODE = /^(?:\d+|random)(?:::-?\d+(?:\.\d+)?)?$/i;

export function versionLabel(version: string): string {
  return version.startsWith('niji') ? `--${version}` : `--v ${version}`;
}

export function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function listing(values: readonly (number | string)[]): string {
  if (values.length === 1) return String(values[0]);
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function promptIssues(prompt: string, ctx: PromptContext): PromptIssue[] {
  const label = ctx.label ?? 'the prompt';
  const issues: PromptIssue[] = [];
  const trimmed = prompt.trim();
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = [...trimmed].length;
  if (length === 0) return [{ flag: null, message: `${capitalise(label)} is empty.` }];
  if (length > MAX_PROMPT_CHARS) {
    issues.push({
      flag: null,
      message: `${capitalise(label)} is ${length} characters long; Legnext accepts at most ${MAX_PROMPT_CHARS}.`,
    });
  }

  const parsed = parsePrompt(trimmed);
  if (ctx.kind === 'image' && parsed.text === '' && parsed.imageUrls.length === 0) {
    issues.push({
      flag: null,
      message: `${capitalise(label)} needs a description or an image URL before its parameters.`,
    });
  }
  if (parsed.hasPermutations) {
    issues.push({
      flag: null,
      message: '{…} permutation prompts are not supported by Legnext; submit each variant as its own prompt.',
    });
  }

  const versionFlag = parsed.flags.findLast((f) => f.name === 'version');
  const nijiFlag = parsed.flags.findLast((f) => f.name === 'niji');
  if (versionFlag && nijiFlag) {
    issues.push({
      flag: nijiFlag.raw,
      message: `Use either ${versionFlag.raw} or ${nijiFlag.raw}, not both.`,
    });
  }

  for (const flag of parsed.flags) {
    const issue = flagIssue(flag, parsed, ctx.kind);
    if (issue) issues.push({ flag: flag.raw, message: issue });
  }
  return issues;
}

/** Throws `InvalidInputError(message, flag)` for the first issue; returns the parsed prompt otherwise. */
export function assertValidPrompt(prompt: string, ctx: PromptContext): ParsedPrompt {
  const [first] = promptIssues(prompt, ctx);
  if (first) throw new InvalidInputError(first.message, first.flag ?? undefined);
  return parsePrompt(prompt.trim());
}

function flagIssue(flag: PromptFlag, parsed: ParsedPrompt, kind: 'image' | 'video'): string | null {
  const f = flag.raw;
  const spec = flagSpec(flag.name);
  if (!spec) return `${f} is not a parameter Legnext knows; check its spelling or remove it.`;

  const unsupported = UNSUPPORTED[spec.name];
  if (unsupported) return `${f} ${unsupported}.`;

  if (spec.arity === 'none' && flag.value !== null) {
    return `${f} takes no value, but "${flag.value}" follows it; move that text before the parameters.`;
  }
  if (spec.arity === 'required' && flag.value === null) return `${f} needs a value.`;

  if (kind === 'image' && spec.scope === 'video') {
    return spec.name === 'video'
      ? `${f} is not supported in image prompts; use video generation instead.`
      : `${f} is only for video generation.`;
  }
  if (kind === 'video' && spec.scope === 'image') return `${f} is not available for video generation.`;

  const valueIssue = valueProblem(flag, parsed);
  if (valueIssue) return valueIssue;

  return kind === 'image' ? modelProblem(flag, parsed) : null;
}

/** Checks a flag's value against its documented range or format. */
function valueProblem(flag: PromptFlag, parsed: ParsedPrompt): string | null {
  const f = flag.raw;
  const value = flag.value;
  if (value === null) return null;
  const n = parseNumber(value);

  const intRange = INTEGER_RANGES[flag.name];
  if (intRange) {
    const [min, max] = intRange;
    if (n === null || !Number.isInteger(n) || n < min || n > max) {
      return `${f} must be a whole number from ${min} to ${max} (found "${value}").`;
    }
    return null;
  }
  const decRange = DECIMAL_RANGES[flag.name];
  if (decRange) {
    const [min, max] = decRange;
    if (n === null || n < min || n > max)
      return `${f} must be a number from ${min} to ${max} (found "${value}").`;
    return null;
  }

  switch (flag.name) {
    case 'aspect': {
      const m = ASPECT.exec(value);
      if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) {
        return `${f} must be a ratio of two whole numbers such as 16:9 (found "${value}").`;
      }
      return null;
    }
    case 'version': {
      if (n === null) return `${f} needs a model version such as 7 or 8.1 (found "${value}").`;
      return unsupportedModel(f, normaliseVersion(value));
    }
    case 'niji': {
      if (n === null) return `${f} takes a niji model number such as 6 (found "${value}").`;
      return unsupportedModel(f, `niji ${normaliseVersion(value)}`);
    }
    case 'quality': {
      if (n === null) return `${f} must be a number such as 1 or 2 (found "${value}").`;
      const allowed = isSupportedVersion(parsed.version) ? QUALITY_VALUES[parsed.version] : null;
      if (allowed && !allowed.includes(n)) {
        return `${f} must be ${listing(allowed)} with ${versionLabel(parsed.version)} (found "${value}").`;
      }
      return null;
    }
    case 'sv': {
      if (n === null) return `${f} must be a style version number (found "${value}").`;
      const allowed = isSupportedVersion(parsed.version) ? STYLE_VERSIONS[parsed.version] : null;
      if (allowed && !allowed.includes(n)) {
        return `${f} must be ${listing(allowed)} with ${versionLabel(parsed.version)} (found "${value}").`;
      }
      return null;
    }
    case 'batchsize':
      return n !== null && BATCH_SIZES.includes(n) ? null : `${f} must be 1, 2 or 4 (found "${value}").`;
    case 'motion':
      return MOTION_VALUES.includes(value.toLowerCase())
        ? null
        : `${f} must be low or high (found "${value}").`;
    case 'end':
      return isHttpUrl(value) ? null : `${f} needs the http(s) URL of the last frame (found "${value}").`;
    case 'cref': {
      const bad = value.split(/\s+/).find((u) => !isHttpUrl(u));
      return bad === undefined ? null : `${f} takes image URLs (found "${bad}").`;
    }
    case 'oref': {
      const urls = value.split(/\s+/);
      if (urls.length > 1) return `${f} takes a single image URL.`;
      return isHttpUrl(value) ? null : `${f} takes an image URL (found "${value}").`;
    }
    case 'sref': {
      const bad = value
        .split(/\s+/)
        .find((u) => !isHttpUrl(u.replace(/::-?[\d.]+$/, '')) && !SREF_CODE.test(u));
      return bad === undefined ? null : `${f} takes image URLs or style codes (found "${bad}").`;
    }
    default:
      return null;
  }
}

function unsupportedModel(flag: string, version: string): string | null {
  if (isSupportedVersion(version)) return null;
  return `${flag} selects model ${version}, which Legnext does not offer; use ${listing(
    SUPPORTED_VERSIONS.map((v) => (v.startsWith('niji') ? v : `v${v}`)),
  )}.`;
}

/** Checks that the selected model accepts the flag. */
function modelProblem(flag: PromptFlag, parsed: ParsedPrompt): string | null {
  const version = parsed.version;
  if (!isSupportedVersion(version)) return null; // reported once, on --v / --niji
  const f = flag.raw;
  const model = versionLabel(version);
  const rule = MODEL_ONLY[flag.name];
  if (rule && !rule.models.includes(version)) {
    if (rule.removedIn?.includes(version))
      return `${f} is not available with ${model} (it is rejected by Legnext).`;
    if (flag.name === 'cref' && version === '8')
      return `${f} is not available with ${model}; use --oref instead.`;
    return `${f} is only available with ${listing(rule.models.map(versionLabel))}.`;
  }
  if (flag.name === 'oref' && version === '7') {
    // "Object reference is currently incompatible with speed modes or --q 4" (Image Parameters, V7).
    const turbo = parsed.flags.find((o) => o.name === 'turbo');
    if (turbo) return `${f} cannot be combined with ${turbo.raw} on ${model}.`;
    const q4 = parsed.flags.find(
      (o) => o.name === 'quality' && o.value !== null && parseNumber(o.value) === 4,
    );
    if (q4) return `${f} cannot be combined with ${q4.raw} 4 on ${model}.`;
  }
  return null;
}
