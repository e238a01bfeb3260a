/**
 * The words benchmark prompts are made of, most popular first in each list (they are drawn with a Zipf
 * distribution, as words in real prompt histories are). Invented artist-like names add the long tail of
 * rare terms a real library has, so full-text search sees both huge and tiny posting lists.
 */
import type { Rng } from '../lib/random';

/** Comma-separated entries of a template literal, so long word lists stay compact. */
function list(text: string): readonly string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

export const SUBJECTS = list(`
  portrait, woman, cat, city, landscape, dragon, robot, forest, castle, girl, man, house, car,
  lighthouse, mountain, ocean, fox, owl, wolf, astronaut, samurai, knight, witch, garden, street,
  cafe, library, spaceship, island, waterfall, temple, bridge, train, tree, flower, rose, bird,
  horse, tiger, lion, bear, deer, whale, octopus, jellyfish, butterfly, mushroom, village, desert,
  canyon, glacier, volcano, cathedral, market, harbor, boat, ship, submarine, airship, balloon,
  tower, skyscraper, apartment, kitchen, bedroom, greenhouse, warrior, princess, king, queen, monk,
  pilot, detective, chef, dancer, musician, violin, piano, guitar, teapot, clock, lantern, book, map,
  compass, crown, sword, shield, mask, helmet, motorcycle, bicycle, tram, subway, rooftop, alley,
  pier, meadow, vineyard, orchard, swamp, cave, ruins, pyramid, colosseum, pagoda, windmill,
  farmhouse, cabin, tent, campfire, aquarium, planet, galaxy, nebula, moon, comet, satellite,
  android, cyborg, mech, golem, phoenix, unicorn, griffin, mermaid, fairy, goblin, troll, vampire,
  ghost, skeleton, sneaker, handbag, perfume, watch, chair, sofa, lamp, vase, bottle, coffee, burger,
  sushi, cake, bread, strawberry, lemon, pumpkin, logo, icon, poster, album
`);

export const ADJECTIVES = list(`
  beautiful, ancient, futuristic, cozy, mysterious, majestic, tiny, giant, abandoned, floating,
  glowing, misty, serene, vibrant, dark, colorful, elegant, rusty, overgrown, crystal, golden,
  silver, neon, frozen, burning, enchanted, haunted, whimsical, quiet, busy, lonely, old, young,
  wise, fierce, gentle, playful, sleepy, curious, happy, melancholic, dreamy, surreal, minimalist,
  ornate, weathered, pristine, shiny, fluffy, translucent, iridescent, geometric, organic, baroque,
  gothic, brutalist, victorian, medieval, retro, vintage, modern, tropical, arctic, underwater,
  celestial, mechanical, steampunk, cyberpunk, solarpunk, biomechanical, porcelain, wooden, marble,
  velvet, paper
`);

export const PLACES = list(`
  in the rain, at dusk, at sunset, at night, in the fog, in winter, in autumn, in spring, on a hill,
  by the sea, in space, in tokyo, in paris, in new york, in venice, in iceland, in the desert,
  in a forest, under the stars, on mars, in the clouds, at dawn, at golden hour, in a snowstorm,
  during a festival, in a thunderstorm, under cherry blossoms, in the jungle, in a sunflower field,
  on a frozen lake, in kyoto, in marrakech, in the alps, in patagonia
`);

export const STYLES = list(`
  cinematic, photorealistic, watercolor, oil painting, studio ghibli style, anime, concept art,
  digital painting, illustration, pencil sketch, ink drawing, pixel art, isometric, 3d render,
  octane render, unreal engine, low poly, claymation, ukiyo-e, art nouveau, art deco, impressionism,
  expressionism, pop art, vaporwave, synthwave, film noir, polaroid, double exposure, charcoal,
  gouache, pastel, linocut, stained glass, mosaic, papercut, tilt-shift, macro photography,
  street photography, fashion photography, product photography, editorial, architectural photography,
  national geographic, children book illustration, tarot card, movie poster, comic book, manga,
  storybook, matte painting, fantasy art
`);

export const LIGHTING = list(`
  soft light, dramatic lighting, volumetric light, golden light, rim light, backlit, neon lights,
  candlelight, moonlight, studio lighting, natural light, god rays, bokeh, high contrast, low key,
  high key, chiaroscuro, hazy, overcast, harsh shadows
`);

export const DETAILS = list(`
  highly detailed, intricate details, 8k, sharp focus, shallow depth of field, wide angle, close up,
  aerial view, symmetrical, rule of thirds, muted colors, pastel colors, teal and orange, monochrome,
  black and white, vivid colors, earth tones, film grain, 35mm, 85mm lens, long exposure,
  trending on artstation, award winning, masterpiece, hyperrealistic, dynamic pose, full body,
  centered composition, negative space, textured, clean background, white background
`);

const SYLLABLES = list(`
  ka, ren, mo, vel, tis, an, dor, li, sa, qu, bel, tor, ni, vos, ela, mir, zu, gar, fen, ost, ria, lun, ber, cas, dae, hal, jor, kin, mar, pel, sev
`);

/**
 * `count` invented surnames, deterministic for a seed. They play the role of artist references and
 * rare nouns: most occur a handful of times in a whole library.
 */
export function inventNames(rng: Rng, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) {
    const parts = rng.int(2, 4);
    let name = '';
    for (let i = 0; i < parts; i++) name += rng.pick(SYLLABLES);
    names.add(name);
  }
  return [...names];
}
