import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/main/core/errors';
import { assertValidPrompt, promptIssues } from '../../src/main/core/params';

const image = (prompt: string) => promptIssues(prompt, { kind: 'image' });
const video = (prompt: string) => promptIssues(prompt, { kind: 'video' });
const flagsOf = (issues: { flag: string | null }[]) => issues.map((i) => i.flag);

describe('promptIssues: valid prompts', () => {
  it.each([
    'A cute kitten --ar 16:9 --stylize 100',
    'Beautiful landscape, sunset --quality 1 --chaos 50',
    'Portrait --cref https://cdn.example/ref.png --niji',
    'A small duck holding a magic wand --oref http://image.example/duck.png',
    'Dynamic explosion --chaos 75 --weird 250 --s 200',
    'Minimalist design --raw --stylize 0 --stop 80',
    'Beautiful garden --no weeds, dead plants, brown leaves',
    'Character design --cref https://cdn.example/c.png --seed 12345 --stylize 200',
    'Style matching --sref https://cdn.example/s.png --stylize 100 --iw 1.5',
    'A beautiful sunset over the snow mountains --v 7 --draft',
    'A cyberpunk workspace, 8k --ar 21:9 --v 7 --style raw --q 2',
    'Sign that says "OPEN" --v 8 --hd --q 4 --sv 6',
    'A fox --v 8.1 --ar 3:2 --s 250 --c 10 --w 100 --raw --exp 20 --sref 1234 --sw 300 --p abc --iw 2 --hd',
    'https://cdn.example/a.png https://cdn.example/b.png',
    'Hot:: dog:: animal --ar 16:9',
    'a cat --seed 0 --seed 4294967295 --turbo --fast --tile',
  ])('accepts %s', (prompt) => {
    expect(image(prompt)).toEqual([]);
  });

  it.each([
    'https://cdn.example/a.jpg A cinematic landscape --motion high',
    'https://cdn.example/a.jpg A peaceful sunset scene --raw',
    'https://cdn.example/start.jpg A transformation --end https://cdn.example/end.jpg',
    'https://cdn.example/a.jpg Rotating product display --loop',
    'https://cdn.example/a.jpg Epic camera movement --motion high --raw --loop --bs 1',
    '--motion low --loop --bs 2',
    '--bs 4 --raw',
  ])('accepts the video prompt %s', (prompt) => {
    expect(video(prompt)).toEqual([]);
  });
});

describe('promptIssues: the v8 family', () => {
  it.each([
    '--q 1',
    '--quality 1',
    '--cref https://c.example/a.png',
    '--cw 50',
    '--oref https://c.example/a.png',
    '--ow 100',
    '--no trees',
    '--turbo',
    '--sd',
  ])('v8.1 rejects %s', (flag) => {
    const issues = image(`a cat --v 8.1 ${flag}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.flag).toBe(flag.split(' ')[0]);
    expect(issues[0]!.message).toBe(
      `${flag.split(' ')[0]} is not available with --v 8.1 (it is rejected by Legnext).`,
    );
  });

  it('v8 rejects --turbo with the documented reason', () => {
    expect(image('a cat --v 8 --turbo')).toEqual([
      { flag: '--turbo', message: '--turbo is not available with --v 8 (it is rejected by Legnext).' },
    ]);
  });

  it('v8 has no --cref and says to use --oref', () => {
    expect(image('a cat --v 8 --cref https://c.example/a.png')[0]!.message).toMatch(/use --oref instead/);
  });

  it('v8 and v8.1 have no --stop', () => {
    expect(flagsOf(image('a cat --v 8 --stop 50'))).toEqual(['--stop']);
    expect(flagsOf(image('a cat --v 8.1 --stop 50'))).toEqual(['--stop']);
  });

  it('--hd only exists on v8 and v8.1', () => {
    expect(image('a cat --hd')).toEqual([
      { flag: '--hd', message: '--hd is only available with --v 8 or --v 8.1.' },
    ]);
    expect(image('a cat --v 8 --hd')).toEqual([]);
  });
});

describe('promptIssues: per-model flags', () => {
  it.each(['--v 8', '--v 8.1', '--v 6.1', '--v 6', '--niji 6'])('--draft is rejected with %s', (version) => {
    expect(image(`a cat ${version} --draft`)).toEqual([
      { flag: '--draft', message: '--draft is only available with --v 7.' },
    ]);
  });

  it('--draft is accepted on the default model (v7)', () => {
    expect(image('a cat --draft')).toEqual([]);
  });

  it.each([
    ['--v 6', '--q 0.5', true],
    ['--v 6', '--q 2', false],
    ['--v 6.1', '--q .5', false],
    ['--v 7', '--q 4', false],
    ['--v 7', '--q 0.5', true],
    ['--v 8', '--q 4', false],
    ['--v 8', '--q 2', true],
    ['--niji 6', '--q 0.5', false],
    ['--niji 6', '--q 4', true],
  ])('with %s, %s is rejected: %s', (version, quality, rejected) => {
    const issues = image(`a cat ${version} ${quality}`);
    expect(issues.length > 0).toBe(rejected);
    if (rejected) expect(issues[0]!.message).toMatch(/^--q must be .* with --/);
  });

  it('--q must be a number', () => {
    expect(image('a cat --q high')[0]!.message).toBe('--q must be a number such as 1 or 2 (found "high").');
  });

  it.each([
    ['--v 8', '--sv 6', false],
    ['--v 8', '--sv 4', true],
    ['--v 7', '--sv 4', false],
    ['--v 7', '--sv 6', true],
    ['--v 8.1', '--sv 2', false],
  ])('with %s, %s is rejected: %s', (version, sv, rejected) => {
    expect(image(`a cat ${version} ${sv}`).length > 0).toBe(rejected);
  });

  it('--no is not on v6 or niji 6 (model table)', () => {
    expect(image('a cat --v 6 --no trees')[0]!.message).toBe(
      '--no is only available with --v 6.1, --v 7 or --v 8.',
    );
    expect(flagsOf(image('a cat --niji 6 --no trees'))).toEqual(['--no']);
    expect(image('a cat --v 6.1 --no trees')).toEqual([]);
  });

  it('--oref/--ow only on v7 and v8, --exp and --p only on v7+', () => {
    expect(flagsOf(image('a cat --v 6.1 --oref https://c.example/o.png --ow 100'))).toEqual([
      '--oref',
      '--ow',
    ]);
    expect(flagsOf(image('a cat --v 6 --exp 10 --p abc'))).toEqual(['--exp', '--p']);
    expect(image('a cat --v 8 --oref https://c.example/o.png --ow 100 --exp --p')).toEqual([]);
  });

  it('--oref on v7 cannot be combined with --turbo or --q 4', () => {
    expect(image('a cat --oref https://c.example/o.png --turbo')[0]!.message).toBe(
      '--oref cannot be combined with --turbo on --v 7.',
    );
    expect(flagsOf(image('a cat --oref https://c.example/o.png --q 4'))).toEqual(['--oref']);
  });

  it.each(['--v 5.2', '--v 4', '--version 1', '--niji 5'])(
    '%s selects a model Legnext does not offer',
    (flag) => {
      const issues = image(`a cat ${flag}`);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.message).toMatch(
        /which Legnext does not offer; use v6, v6\.1, v7, v8, v8\.1 or niji 6\.$/,
      );
    },
  );

  it('--v needs a number', () => {
    expect(image('a cat --v latest')[0]!.message).toBe(
      '--v needs a model version such as 7 or 8.1 (found "latest").',
    );
  });

  it('reports words typed after the model number, quoting them as before', () => {
    expect(image('a cat --v 7 in the rain')).toEqual([
      { flag: '--v', message: '--v needs a model version such as 7 or 8.1 (found "7 in the rain").' },
    ]);
    expect(image('a cat --niji 6 anime style')).toEqual([
      { flag: '--niji', message: '--niji takes a niji model number such as 6 (found "6 anime style").' },
    ]);
  });

  it('checks the other flags against the model the first word selects', () => {
    expect(image('a cat --v 8.1 in the rain --q 2')).toEqual([
      { flag: '--v', message: '--v needs a model version such as 7 or 8.1 (found "8.1 in the rain").' },
      { flag: '--q', message: '--q is not available with --v 8.1 (it is rejected by Legnext).' },
    ]);
  });

  it('--v and --niji together conflict', () => {
    expect(image('a cat --v 7 --niji 6')).toEqual([
      { flag: '--niji', message: 'Use either --v or --niji, not both.' },
    ]);
  });
});

describe('promptIssues: unsupported features', () => {
  it.each([
    ['a cat --repeat 3', '--repeat'],
    ['a cat --r 3', '--r'],
    ['a cat --personalize', '--personalize'],
    ['a cat --stealth', '--stealth'],
    ['a cat --public', '--public'],
    ['a cat --relax', '--relax'],
  ])('%s is reported on %s', (prompt, flag) => {
    const issues = image(prompt);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.flag).toBe(flag);
    expect(issues[0]!.message).toMatch(new RegExp(`^${flag} is not supported by Legnext`));
  });

  it('{a, b} permutations are reported for the whole prompt', () => {
    expect(image('a {red, blue} car')).toEqual([
      {
        flag: null,
        message:
          '{…} permutation prompts are not supported by Legnext; submit each variant as its own prompt.',
      },
    ]);
  });

  it('unknown flags are reported, not dropped', () => {
    expect(image('a cat --sparkle 3')).toEqual([
      {
        flag: '--sparkle',
        message: '--sparkle is not a parameter Legnext knows; check its spelling or remove it.',
      },
    ]);
  });
});

describe('promptIssues: video and image scopes', () => {
  it.each(['--bs 2', '--motion high', '--loop', '--end https://c.example/e.png'])(
    '%s is only for video',
    (flag) => {
      const name = flag.split(' ')[0]!;
      expect(image(`a cat ${flag}`)).toEqual([
        { flag: name, message: `${name} is only for video generation.` },
      ]);
    },
  );

  it('--video in an image prompt points to video generation', () => {
    expect(image('a cat --video')[0]!.message).toBe(
      '--video is not supported in image prompts; use video generation instead.',
    );
  });

  it.each(['--bs 3', '--bs 0', '--bs two'])('video %s is not 1, 2 or 4', (flag) => {
    expect(video(`https://c.example/a.png waves ${flag}`)[0]!.message).toMatch(/^--bs must be 1, 2 or 4/);
  });

  it.each(['--motion medium', '--motion 3'])('video %s is not low or high', (flag) => {
    expect(video(`https://c.example/a.png waves ${flag}`)[0]!.message).toMatch(
      /^--motion must be low or high/,
    );
  });

  it('--end needs a URL', () => {
    expect(video('https://c.example/a.png waves --end later')[0]!.message).toMatch(
      /^--end needs the http\(s\) URL/,
    );
  });

  it.each([
    '--s 100',
    '--tile',
    '--seed 3',
    '--c 5',
    '--w 5',
    '--q 1',
    '--no x',
    '--sref 12',
    '--draft',
    '--iw 1',
  ])('%s is not available for video', (flag) => {
    const name = flag.split(' ')[0]!;
    expect(video(`https://c.example/a.png waves ${flag}`)).toEqual([
      { flag: name, message: `${name} is not available for video generation.` },
    ]);
  });

  it('a video prompt may be parameters only (the image comes from jobId)', () => {
    expect(video('--motion high')).toEqual([]);
  });

  it('an image prompt needs a description or an image', () => {
    expect(image('--ar 1:1')).toEqual([
      { flag: null, message: 'The prompt needs a description or an image URL before its parameters.' },
    ]);
  });
});

describe('promptIssues: lengths and values', () => {
  it('accepts 8192 characters and rejects 8193', () => {
    expect(image('a'.repeat(8192))).toEqual([]);
    expect(image('a'.repeat(8193))).toEqual([
      { flag: null, message: 'The prompt is 8193 characters long; Legnext accepts at most 8192.' },
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(image('🐈'.repeat(8192))).toEqual([]);
  });

  it('rejects an empty or blank prompt, naming it with the label', () => {
    expect(image('')).toEqual([{ flag: null, message: 'The prompt is empty.' }]);
    expect(promptIssues('   ', { kind: 'image', label: 'the remix prompt' })).toEqual([
      { flag: null, message: 'The remix prompt is empty.' },
    ]);
  });

  it.each([
    ['--s', 0, 1000],
    ['--c', 0, 100],
    ['--w', 0, 3000],
    ['--seed', 0, 4294967295],
    ['--stop', 10, 100],
    ['--sw', 0, 1000],
    ['--cw', 0, 100],
    ['--ow', 1, 1000],
    ['--exp', 0, 100],
  ])('%s accepts %i to %i and nothing outside or fractional', (flag, min, max) => {
    const ok = (v: number | string) => image(`a cat ${flag} ${v}`).length === 0;
    expect(ok(min)).toBe(true);
    expect(ok(max)).toBe(true);
    expect(ok(min - 1)).toBe(false);
    expect(ok(max + 1)).toBe(false);
    expect(ok(min + 0.5)).toBe(false);
    expect(ok('many')).toBe(false);
    expect(image(`a cat ${flag} ${max + 1}`)[0]!.message).toBe(
      `${flag} must be a whole number from ${min} to ${max} (found "${max + 1}").`,
    );
  });

  it('--iw takes decimals from 0 to 3', () => {
    expect(image('a cat --iw 0')).toEqual([]);
    expect(image('a cat --iw 2.5')).toEqual([]);
    expect(image('a cat --iw 3.5')[0]!.message).toBe('--iw must be a number from 0 to 3 (found "3.5").');
  });

  it.each(['16:9', '1:1', '139:100', '1920:1080'])('--ar %s is a valid ratio', (ar) => {
    expect(image(`a cat --ar ${ar}`)).toEqual([]);
  });

  it.each(['1.39:1', '0:1', '16x9', '16:', '-1:2'])('--ar %s is not', (ar) => {
    expect(image(`a cat --ar ${ar}`)[0]!.message).toBe(
      `--ar must be a ratio of two whole numbers such as 16:9 (found "${ar}").`,
    );
  });

  it('names the flag as typed', () => {
    expect(image('a cat --v 8.1 --quality 2')[0]!.flag).toBe('--quality');
    expect(image('a cat --stylize 5000')[0]!.message).toMatch(/^--stylize must be/);
  });

  it('a switch with a value and a flag without one are reported', () => {
    expect(image('a cat --tile please')[0]!.message).toBe(
      '--tile takes no value, but "please" follows it; move that text before the parameters.',
    );
    expect(image('a cat --ar')).toEqual([{ flag: '--ar', message: '--ar needs a value.' }]);
  });

  it('reference flags need URLs (or style codes for --sref)', () => {
    expect(image('a cat --cref someone')[0]!.message).toBe('--cref takes image URLs (found "someone").');
    expect(image('a cat --oref https://c.example/a.png https://c.example/b.png')[0]!.message).toBe(
      '--oref takes a single image URL.',
    );
    expect(image('a cat --oref duck')[0]!.message).toBe('--oref takes an image URL (found "duck").');
    expect(image('a cat --sref random 123 https://c.example/s.png::2')).toEqual([]);
    expect(image('a cat --sref pretty')[0]!.message).toBe(
      '--sref takes image URLs or style codes (found "pretty").',
    );
  });

  it('lists every issue, not only the first', () => {
    expect(flagsOf(image('a cat --v 8.1 --q 2 --turbo --s 5000 --foo'))).toEqual([
      '--q',
      '--turbo',
      '--s',
      '--foo',
    ]);
  });
});

describe('assertValidPrompt', () => {
  it('returns the parsed prompt when it is valid', () => {
    expect(assertValidPrompt('  a cat --ar 2:3 ', { kind: 'image' })).toMatchObject({
      text: 'a cat',
      aspectRatio: '2:3',
    });
  });

  it('throws InvalidInputError naming the first offending flag', () => {
    let caught: unknown;
    try {
      assertValidPrompt('a cat --v 8 --turbo --s 5000', { kind: 'image' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    const err = caught as InvalidInputError;
    expect(err.field).toBe('--turbo');
    expect(err.message).toBe('--turbo is not available with --v 8 (it is rejected by Legnext).');
    expect(err.exitCode).toBe(2);
  });

  it('leaves field undefined for an issue with the whole prompt', () => {
    expect(() => assertValidPrompt('', { kind: 'image' })).toThrow(
      expect.objectContaining({ field: undefined, message: 'The prompt is empty.' }),
    );
  });
});
