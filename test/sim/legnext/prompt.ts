/**
 * Midjourney parameters live inside the prompt text (`… --ar 16:9 --v 7`). This module reads them
 * and applies the rules the Legnext docs say the API enforces, each rejection a 400 naming the flag.
 */
import { badRequest } from './errors';

export interface PromptFlag {
  /** Lower-cased flag name without the dashes (`ar`, `v`, `no`…). */
  name: string;
  /** Everything up to the next flag, trimmed; `''` for switches such as `--draft`. */
  value: string;
}

export interface PromptInfo {
  flags: PromptFlag[];
  /** `7` (the default), `8`, `8.1`, `6.1`, `niji`… */
  version: string;
  draft: boolean;
}

const VERSION_GLUED = /^--(v|version)(\d+(?:\.\d+)?)$/i;

export function parsePrompt(text: string): PromptInfo {
  const flags: PromptFlag[] = [];
  let current: PromptFlag | undefined;
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const glued = VERSION_GLUED.exec(token);
    if (glued) {
      current = { name: 'v', value: glued[2] ?? '' };
      flags.push(current);
      current = undefined;
    } else if (/^--[a-z]/i.test(token)) {
      current = { name: token.slice(2).toLowerCase(), value: '' };
      flags.push(current);
    } else if (current) {
      current.value = current.value ? `${current.value} ${token}` : token;
    }
  }
  let version = '7';
  for (const f of flags) {
    if (f.name === 'v' || f.name === 'version') version = normalizeVersion(f.value.split(' ')[0] ?? '');
    if (f.name === 'niji') version = 'niji';
  }
  return { flags, version, draft: flags.some((f) => f.name === 'draft') };
}

function normalizeVersion(v: string): string {
  const n = Number(v);
  // `8.0` and `8` are the same model; keep non-numeric values as written so they fail the rules.
  return v !== '' && Number.isFinite(n) ? String(n) : v;
}

export function flagValue(info: PromptInfo, ...names: string[]): string | undefined {
  return info.flags.find((f) => names.includes(f.name))?.value;
}

const UNSUPPORTED_EVERYWHERE: Record<string, string> = {
  repeat: '--repeat is not supported by the API.',
  personalize: '--personalize is not supported by the API.',
  stealth: '--stealth is not supported by the API.',
  public: '--public is not supported by the API.',
  relax: '--relax is not supported: the API runs in fast or turbo mode only.',
};

const REJECTED_BY_V81 = ['q', 'quality', 'cref', 'cw', 'oref', 'ow', 'no', 'turbo', 'sd'];

/**
 * Throws the API's 400 for a prompt the docs say is rejected. `kind` is `video` for prompts sent to
 * video endpoints, where `--bs` is allowed (1, 2 or 4) and image-only rules do not apply.
 */
export function checkPrompt(text: string, field: string, kind: 'image' | 'video'): PromptInfo {
  if (/\{[^{}]*\}/.test(text)) {
    throw badRequest(`${field} uses {…} permutations, which the API does not support.`, field);
  }
  const info = parsePrompt(text);
  for (const f of info.flags) {
    const unsupported = UNSUPPORTED_EVERYWHERE[f.name];
    if (unsupported) throw badRequest(unsupported, field);
    if (f.name === 'bs' || f.name === 'batchsize') {
      if (kind === 'image') throw badRequest(`--${f.name} is only supported by the video endpoints.`, field);
      if (!['1', '2', '4'].includes(f.value)) throw badRequest(`--${f.name} must be 1, 2 or 4.`, field);
    }
    if (f.name === 'video' && kind === 'image') {
      throw badRequest('--video is not supported: use the video endpoints instead.', field);
    }
    if (info.version === '8.1' && REJECTED_BY_V81.includes(f.name)) {
      throw badRequest(`--${f.name} is not supported with --v 8.1.`, field);
    }
    if (info.version === '8' && f.name === 'turbo') {
      throw badRequest('--turbo is not supported with --v 8.', field);
    }
  }
  if (info.draft && info.version !== '7') {
    throw badRequest('--draft is only supported with --v 7.', field);
  }
  return info;
}

/** V8's premium tier (`--hd`, `--q 4`, `--sv 6`) costs 4×; `--turbo` doubles the GPU quota. */
export function costMultiplier(info: PromptInfo): number {
  let factor = 1;
  if (info.version === '8') {
    const premium =
      info.flags.some((f) => f.name === 'hd') ||
      flagValue(info, 'q', 'quality') === '4' ||
      flagValue(info, 'sv') === '6';
    if (premium) factor *= 4;
  }
  if (info.flags.some((f) => f.name === 'turbo')) factor *= 2;
  return factor;
}

/** `--ar W:H` as integers, or undefined when absent or not an integer ratio. */
export function aspectRatio(info: PromptInfo): [number, number] | undefined {
  const ar = flagValue(info, 'ar', 'aspect');
  return ar ? parseRatio(ar) : undefined;
}

export function parseRatio(text: string): [number, number] | undefined {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? [w, h] : undefined;
}
