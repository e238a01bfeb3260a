/**
 * Two-way editing of the `--flags` inside a Midjourney prompt, for the Compose controls: read the
 * current value of a parameter from the text, and write a new one back while leaving everything
 * else the person typed exactly as it was. Validation is not done here: the core's `prompt.check`
 * is the single judge of what Legnext accepts.
 */

/** Canonical parameter names the controls edit, with the spelling written for each. */
const SPELLING = {
  aspect: 'ar',
  version: 'v',
  niji: 'niji',
  stylize: 's',
  chaos: 'c',
  weird: 'w',
  quality: 'q',
  seed: 'seed',
  raw: 'raw',
  tile: 'tile',
  draft: 'draft',
  fast: 'fast',
  turbo: 'turbo',
  relax: 'relax',
  motion: 'motion',
  loop: 'loop',
  end: 'end',
  batchsize: 'bs',
  style: 'style',
} as const;

export type FlagName = keyof typeof SPELLING;

const ALIASES: Record<string, FlagName> = {
  ar: 'aspect',
  aspect: 'aspect',
  v: 'version',
  version: 'version',
  niji: 'niji',
  s: 'stylize',
  stylize: 'stylize',
  c: 'chaos',
  chaos: 'chaos',
  w: 'weird',
  weird: 'weird',
  q: 'quality',
  quality: 'quality',
  seed: 'seed',
  raw: 'raw',
  tile: 'tile',
  draft: 'draft',
  fast: 'fast',
  turbo: 'turbo',
  relax: 'relax',
  motion: 'motion',
  loop: 'loop',
  end: 'end',
  bs: 'batchsize',
  batchsize: 'batchsize',
  style: 'style',
};

export interface FlagToken {
  /** Canonical name when the flag is one the controls know, else the spelling without dashes. */
  name: string;
  known: boolean;
  /** The flag as typed, e.g. `--ar`. */
  raw: string;
  value: string | null;
  /** Offsets of the whole flag with its value in the prompt, excluding the whitespace before it. */
  start: number;
  end: number;
}

/** `--ar`, an em/en dash that editors substitute for `--`, or a version glued to its flag (`--v7`). */
const FLAG_AT = /(^|\s)((?:--|\u2014|\u2013)([a-z][a-z0-9_.-]*))/gi;
const GLUED_VERSION = /^(v|version|niji)(\d+(?:\.\d+)?)$/i;

export function flagTokens(prompt: string): FlagToken[] {
  const starts: Array<{ index: number; raw: string; spelling: string }> = [];
  for (const m of prompt.matchAll(FLAG_AT)) {
    starts.push({ index: m.index + m[1]!.length, raw: m[2]!, spelling: m[3]! });
  }
  return starts.map((s, i) => {
    const nextStart = starts[i + 1]?.index ?? prompt.length;
    const valueText = prompt.slice(s.index + s.raw.length, nextStart).trim();
    const glued = GLUED_VERSION.exec(s.spelling);
    const spelling = glued ? glued[1]! : s.spelling;
    const name = ALIASES[spelling.toLowerCase()];
    const value = glued ? glued[2]! : valueText === '' ? null : valueText;
    const end = s.index + prompt.slice(s.index, nextStart).trimEnd().length;
    return {
      name: name ?? spelling.toLowerCase(),
      known: name !== undefined,
      raw: glued ? s.raw.slice(0, s.raw.length - glued[2]!.length) : s.raw,
      value,
      start: s.index,
      end,
    };
  });
}

/** The value of a flag (the last one wins, as in Midjourney); `true` for a switch; null when absent. */
export function readFlag(prompt: string, name: FlagName): string | true | null {
  const found = flagTokens(prompt).findLast((t) => t.name === name);
  if (!found) return null;
  return found.value ?? true;
}

function isStyleRaw(t: FlagToken): boolean {
  return t.name === 'style' && t.value?.toLowerCase() === 'raw';
}

export function hasRaw(prompt: string): boolean {
  return flagTokens(prompt).some((t) => t.name === 'raw' || isStyleRaw(t));
}

function removeRanges(prompt: string, ranges: Array<{ start: number; end: number }>): string {
  let out = prompt;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) {
    const before = out.slice(0, r.start).replace(/\s+$/, '');
    const after = out.slice(r.end);
    out = before + (before && after && !/^\s/.test(after) ? ' ' : '') + after;
  }
  return out;
}

/**
 * Sets, replaces or (with null/false) removes a flag. The first occurrence is rewritten in place and
 * any repeats are dropped, so the text reads as one value; a new flag goes at the end.
 */
export function writeFlag(prompt: string, name: FlagName, value: string | number | boolean | null): string {
  const tokens = flagTokens(prompt).filter((t) => t.name === name || (name === 'raw' && isStyleRaw(t)));
  const text =
    value === null || value === false
      ? null
      : value === true
        ? `--${SPELLING[name]}`
        : `--${SPELLING[name]} ${String(value).trim()}`;
  if (tokens.length === 0) {
    if (text === null) return prompt;
    const base = prompt.replace(/\s+$/, '');
    return base ? `${base} ${text}` : text;
  }
  const [first, ...rest] = tokens;
  const withoutRest = removeRanges(prompt, rest);
  if (text === null) return removeRanges(withoutRest, [first!]);
  return withoutRest.slice(0, first!.start) + text + withoutRest.slice(first!.end);
}

/** Writes several flags in order (e.g. a version, which also clears `--niji`). */
export function writeFlags(
  prompt: string,
  changes: ReadonlyArray<readonly [FlagName, string | number | boolean | null]>,
): string {
  return changes.reduce((text, [name, value]) => writeFlag(text, name, value), prompt);
}

/** The model the prompt selects, spelled like the core names it: '7', '6.1', 'niji 6'… */
export function readVersion(prompt: string): string | null {
  const tokens = flagTokens(prompt);
  const niji = tokens.findLast((t) => t.name === 'niji');
  if (niji) return `niji ${niji.value ?? '6'}`;
  const version = tokens.findLast((t) => t.name === 'version');
  return version?.value ?? null;
}

export function writeVersion(prompt: string, version: string | null): string {
  if (version === null)
    return writeFlags(prompt, [
      ['version', null],
      ['niji', null],
    ]);
  const niji = /^niji\s*(.*)$/.exec(version);
  if (niji)
    return writeFlags(prompt, [
      ['version', null],
      ['niji', niji[1] || true],
    ]);
  return writeFlags(prompt, [
    ['niji', null],
    ['version', version],
  ]);
}

export type Speed = 'default' | 'fast' | 'turbo';

export function readSpeed(prompt: string): Speed {
  const last = flagTokens(prompt).findLast((t) => t.name === 'fast' || t.name === 'turbo');
  return last ? (last.name as Speed) : 'default';
}

export function writeSpeed(prompt: string, speed: Speed): string {
  return writeFlags(prompt, [
    ['relax', null],
    ['fast', speed === 'fast'],
    ['turbo', speed === 'turbo'],
  ]);
}

/** The description part: text before the first flag. */
export function promptBody(prompt: string): string {
  const first = flagTokens(prompt)[0];
  return (first ? prompt.slice(0, first.start) : prompt).trim();
}
