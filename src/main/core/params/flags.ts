/**
 * The Midjourney `--flags` Legnext understands, with their aliases and what kind of value each takes.
 * Canonical names are the long documented spelling where the docs give one (`--s` → `stylize`).
 */

/** `none`: a switch; `optional`: a switch that may carry a value; `required`: must have a value. */
export type FlagArity = 'none' | 'optional' | 'required';

/**
 * How a value is stored in `ParsedPrompt.params`: `number` (the raw text is kept when it is not a
 * number, so the issue can quote it), `text`, `words` (whitespace-separated list), `commaList`.
 */
export type FlagValueType = 'switch' | 'number' | 'text' | 'words' | 'commaList';

/** Where a flag belongs: image generation, video generation, or both. */
export type FlagScope = 'image' | 'video' | 'both';

export interface FlagSpec {
  name: string;
  aliases: readonly string[];
  arity: FlagArity;
  type: FlagValueType;
  scope: FlagScope;
}

function spec(
  name: string,
  arity: FlagArity,
  type: FlagValueType,
  scope: FlagScope,
  aliases: readonly string[] = [],
): FlagSpec {
  return { name, aliases, arity, type, scope };
}

export const FLAG_SPECS: readonly FlagSpec[] = [
  spec('aspect', 'required', 'text', 'both', ['ar']),
  spec('stylize', 'required', 'number', 'image', ['s']),
  spec('chaos', 'required', 'number', 'image', ['c']),
  spec('weird', 'required', 'number', 'image', ['w']),
  spec('quality', 'required', 'number', 'image', ['q']),
  spec('version', 'required', 'text', 'both', ['v']),
  spec('niji', 'optional', 'text', 'both'),
  spec('iw', 'required', 'number', 'image'),
  spec('sref', 'required', 'words', 'image'),
  spec('sw', 'required', 'number', 'image'),
  spec('sv', 'required', 'number', 'image'),
  spec('cref', 'required', 'words', 'image'),
  spec('cw', 'required', 'number', 'image'),
  spec('oref', 'required', 'words', 'image'),
  spec('ow', 'required', 'number', 'image'),
  spec('no', 'required', 'commaList', 'image'),
  spec('seed', 'required', 'number', 'image'),
  spec('stop', 'required', 'number', 'image'),
  spec('tile', 'none', 'switch', 'image'),
  spec('raw', 'none', 'switch', 'both'),
  spec('style', 'required', 'text', 'both'),
  spec('draft', 'none', 'switch', 'image'),
  spec('fast', 'none', 'switch', 'both'),
  spec('turbo', 'none', 'switch', 'both'),
  spec('relax', 'none', 'switch', 'both'),
  spec('hd', 'none', 'switch', 'image'),
  spec('sd', 'none', 'switch', 'image'),
  spec('exp', 'optional', 'number', 'image'),
  spec('profile', 'optional', 'words', 'image', ['p']),
  spec('repeat', 'required', 'number', 'both', ['r']),
  spec('personalize', 'optional', 'words', 'both'),
  spec('stealth', 'none', 'switch', 'both'),
  spec('public', 'none', 'switch', 'both'),
  spec('motion', 'required', 'text', 'video'),
  spec('loop', 'none', 'switch', 'video'),
  spec('end', 'required', 'text', 'video'),
  spec('batchsize', 'required', 'number', 'video', ['bs']),
  spec('video', 'none', 'switch', 'video'),
];

const BY_SPELLING = new Map<string, FlagSpec>();
for (const s of FLAG_SPECS) {
  BY_SPELLING.set(s.name, s);
  for (const alias of s.aliases) BY_SPELLING.set(alias, s);
}

/** The spec for a flag spelled without its dashes (`ar`, `Stylize`), or undefined when unknown. */
export function flagSpec(spelling: string): FlagSpec | undefined {
  return BY_SPELLING.get(spelling.toLowerCase());
}

export function specByName(name: string): FlagSpec | undefined {
  return FLAG_SPECS.find((s) => s.name === name);
}
