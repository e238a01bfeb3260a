/**
 * Splits a Midjourney prompt into its parts: leading image URLs, the description, and the `--flags`
 * with their values. Pure and total: any string parses; what is wrong with it is `promptIssues`' job.
 */
import { flagSpec } from './flags';

export interface PromptFlag {
  /** Canonical name (`stylize` for `--s`), or the spelling without dashes when the flag is unknown. */
  name: string;
  /** The flag as typed, e.g. `--s` or `—ar`. */
  raw: string;
  /** Everything typed after the flag up to the next flag, or null when nothing was. */
  value: string | null;
  /** False for a flag Legnext does not know; it is kept (never dropped) so it can be reported. */
  known: boolean;
}

export type ParamValue = string | number | boolean | string[];

export interface ParsedPrompt {
  /** The description between the image URLs and the first flag. */
  text: string;
  imageUrls: string[];
  flags: PromptFlag[];
  /** Canonical name → value; when a flag repeats, the last one wins. */
  params: Record<string, ParamValue>;
  /** The model the prompt selects: '7' by default, '8.1', '6.1', 'niji 6'… */
  version: string;
  aspectRatio: string | null;
  /** `{a, b}` permutation syntax, which Legnext does not support. */
  hasPermutations: boolean;
}

export const DEFAULT_VERSION = '7';
/** `--niji` without a value selects the current niji model. */
export const DEFAULT_NIJI = '6';

/** Two hyphens, or the em/en dash that text editors substitute for them. */
const FLAG_TOKEN = /^(?:--|\u2014|\u2013)([a-z][a-z0-9_-]*)$/i;
/** `--v7`, `--version8.1`, `--niji6`: the version glued to its flag. */
const GLUED_VERSION = /^(?:--|\u2014|\u2013)(v|version|niji)(\d+(?:\.\d+)?)$/i;
const URL_TOKEN = /^<?(https?:\/\/[^\s<>]+)>?$/i;
const PERMUTATION = /\{[^{}]*,[^{}]*\}/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

interface Token {
  text: string;
  flag: { spelling: string; glued: string | null } | null;
}

function tokenize(prompt: string): Token[] {
  return prompt
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((text) => {
      const glued = GLUED_VERSION.exec(text);
      if (glued) return { text, flag: { spelling: glued[1]!, glued: glued[2]! } };
      const plain = FLAG_TOKEN.exec(text);
      return { text, flag: plain ? { spelling: plain[1]!, glued: null } : null };
    });
}

export function parseNumber(value: string): number | null {
  return NUMBER.test(value) ? Number(value) : null;
}

/** '6.0' → '6', '8.10' → '8.1': how the docs name the models. */
export function normaliseVersion(value: string): string {
  const n = parseNumber(value);
  return n === null ? value : String(n);
}

function paramValue(flag: PromptFlag): ParamValue {
  const spec = flagSpec(flag.name);
  const value = flag.value;
  if (value === null) return true;
  switch (spec?.type) {
    case 'number':
      return parseNumber(value) ?? value;
    case 'words':
      return value.split(/\s+/);
    case 'commaList':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    default:
      return value;
  }
}

export function parsePrompt(prompt: string): ParsedPrompt {
  const tokens = tokenize(prompt);
  const imageUrls: string[] = [];
  let i = 0;
  for (; i < tokens.length; i++) {
    const url = URL_TOKEN.exec(tokens[i]!.text);
    if (!url) break;
    imageUrls.push(url[1]!);
  }

  const words: string[] = [];
  for (; i < tokens.length && !tokens[i]!.flag; i++) words.push(tokens[i]!.text);

  const flags: PromptFlag[] = [];
  while (i < tokens.length) {
    const token = tokens[i]!;
    const { spelling, glued } = token.flag!;
    const valueWords: string[] = glued === null ? [] : [glued];
    for (i++; i < tokens.length && !tokens[i]!.flag; i++) valueWords.push(tokens[i]!.text);
    const spec = flagSpec(spelling);
    const raw = glued === null ? token.text : token.text.slice(0, token.text.length - glued.length);
    const value = valueWords.length > 0 ? valueWords.join(' ') : null;
    if (spec?.name === 'style' && value?.toLowerCase() === 'raw') {
      flags.push({ name: 'raw', raw, value: null, known: true });
    } else {
      flags.push({ name: spec?.name ?? spelling.toLowerCase(), raw, value, known: spec !== undefined });
    }
  }

  const params: Record<string, ParamValue> = {};
  for (const flag of flags) params[flag.name] = paramValue(flag);

  return {
    text: words.join(' '),
    imageUrls,
    flags,
    params,
    version: resolveVersion(flags),
    aspectRatio: firstWord(lastFlag(flags, 'aspect')?.value ?? null),
    hasPermutations: PERMUTATION.test(prompt),
  };
}

function lastFlag(flags: PromptFlag[], name: string): PromptFlag | undefined {
  return flags.findLast((f) => f.name === name);
}

/**
 * A model number (and an aspect ratio) is one word. A flag's value runs to the next flag (right for `--no red trees`), so
 * `--v 7 a cat` carries the stray words too; the model is the first word alone, and the flag keeps
 * its whole value so `promptIssues` can still quote the stray words.
 */
function modelWord(value: string): string {
  return value.split(/\s+/, 1)[0]!;
}

/** An aspect ratio is one word too (`--ar 16:9 a cat` → `16:9`). */
function firstWord(value: string | null): string | null {
  return value === null ? null : modelWord(value);
}

function resolveVersion(flags: PromptFlag[]): string {
  const niji = lastFlag(flags, 'niji');
  if (niji) return `niji ${niji.value === null ? DEFAULT_NIJI : normaliseVersion(modelWord(niji.value))}`;
  const version = lastFlag(flags, 'version');
  if (version?.value) return normaliseVersion(modelWord(version.value));
  return DEFAULT_VERSION;
}
