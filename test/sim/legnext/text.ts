/**
 * Describe and shorten results. The live API runs a model; the simulator derives plausible,
 * deterministic text from the input so tests can assert on it.
 */

export interface TextOutput {
  promptEn: string;
  description: string;
  finalPrompt: string;
  prompts: string[];
}

/** Words of the image file name (`…/red-fox_portrait.png` → `red fox portrait`), or a stand-in. */
function subjectOf(imageUrl: string): string {
  let name = imageUrl;
  try {
    name = decodeURIComponent(new URL(imageUrl).pathname.split('/').pop() ?? '');
  } catch {
    // Not a URL (a seeded job's free text): use it as written.
  }
  const words = name
    .replace(/\.[a-z0-9]+$/i, '')
    .split(/[^a-z]+/i)
    .filter((w) => w.length > 1 && !/^(img|image|photo|png|jpe?g|webp)$/i.test(w));
  return words.length ? words.join(' ').toLowerCase() : 'a quiet scene';
}

export function describeOutput(imageUrl: string): TextOutput {
  const subject = subjectOf(imageUrl);
  const prompts = [
    `${subject}, soft morning light, detailed illustration --ar 1:1`,
    `a cinematic photograph of ${subject}, shallow depth of field --ar 1:1`,
    `${subject} as a watercolor painting, muted palette --ar 1:1`,
    `minimalist poster of ${subject}, bold flat shapes --ar 1:1`,
  ];
  const description = prompts.map((p, i) => `${i + 1}. ${p}`).join('\n\n');
  return { promptEn: description, description, finalPrompt: prompts[0] ?? '', prompts };
}

export function shortenOutput(prompt: string): TextOutput {
  const cut = prompt.search(/\s--[a-z]/i);
  const body = (cut === -1 ? prompt : prompt.slice(0, cut)).trim();
  const flags = cut === -1 ? '' : prompt.slice(cut).trim();
  const words = [...new Set(body.split(/[\s,]+/).filter(Boolean))];
  const keep = (share: number): string => {
    const kept = words.slice(0, Math.max(1, Math.ceil(words.length * share))).join(' ');
    return flags ? `${kept} ${flags}` : kept;
  };
  const prompts = [keep(0.8), keep(0.6), keep(0.4), keep(0.25)];
  const description = `Most influential terms: ${words.slice(0, 5).join(', ')}.`;
  return { promptEn: body, description, finalPrompt: prompts[0] ?? '', prompts };
}
