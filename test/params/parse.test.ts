import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/main/core/params';

describe('parsePrompt', () => {
  it('splits leading image URLs, text and flags', () => {
    const p = parsePrompt(
      'https://a.example/x.png <https://b.example/y.jpg> a cat on a mat --ar 16:9 --s 250',
    );
    expect(p.imageUrls).toEqual(['https://a.example/x.png', 'https://b.example/y.jpg']);
    expect(p.text).toBe('a cat on a mat');
    expect(p.flags).toEqual([
      { name: 'aspect', raw: '--ar', value: '16:9', known: true },
      { name: 'stylize', raw: '--s', value: '250', known: true },
    ]);
    expect(p.params).toEqual({ aspect: '16:9', stylize: 250 });
    expect(p.aspectRatio).toBe('16:9');
    expect(p.version).toBe('7');
    expect(p.hasPermutations).toBe(false);
  });

  it('keeps URLs that come after the text as part of the text', () => {
    const p = parsePrompt('a cat like https://a.example/x.png');
    expect(p.imageUrls).toEqual([]);
    expect(p.text).toBe('a cat like https://a.example/x.png');
  });

  it.each([
    ['--ar 2:3', 'aspect'],
    ['--aspect 2:3', 'aspect'],
    ['--s 10', 'stylize'],
    ['--stylize 10', 'stylize'],
    ['--c 10', 'chaos'],
    ['--chaos 10', 'chaos'],
    ['--w 10', 'weird'],
    ['--weird 10', 'weird'],
    ['--q 2', 'quality'],
    ['--quality 2', 'quality'],
    ['--v 7', 'version'],
    ['--version 7', 'version'],
    ['--niji 6', 'niji'],
    ['--iw 2', 'iw'],
    ['--sref 123', 'sref'],
    ['--sw 100', 'sw'],
    ['--sv 4', 'sv'],
    ['--cref https://a.example/c.png', 'cref'],
    ['--cw 50', 'cw'],
    ['--oref https://a.example/o.png', 'oref'],
    ['--ow 100', 'ow'],
    ['--no trees', 'no'],
    ['--seed 1', 'seed'],
    ['--stop 50', 'stop'],
    ['--tile', 'tile'],
    ['--raw', 'raw'],
    ['--style raw', 'raw'],
    ['--draft', 'draft'],
    ['--fast', 'fast'],
    ['--turbo', 'turbo'],
    ['--relax', 'relax'],
    ['--hd', 'hd'],
    ['--exp 10', 'exp'],
    ['--p abc', 'profile'],
    ['--profile abc', 'profile'],
    ['--repeat 2', 'repeat'],
    ['--r 2', 'repeat'],
    ['--personalize', 'personalize'],
    ['--stealth', 'stealth'],
    ['--public', 'public'],
    ['--motion high', 'motion'],
    ['--loop', 'loop'],
    ['--end https://a.example/e.png', 'end'],
    ['--bs 2', 'batchsize'],
    ['--batchsize 2', 'batchsize'],
    ['--video', 'video'],
  ])('maps %s to the canonical name %s', (flag, name) => {
    const p = parsePrompt(`a prompt ${flag}`);
    expect(p.flags).toHaveLength(1);
    expect(p.flags[0]!.name).toBe(name);
    expect(p.flags[0]!.known).toBe(true);
  });

  it('keeps the flag as typed, case-insensitively recognised', () => {
    const p = parsePrompt('x --AR 3:2 --Stylize 5');
    expect(p.flags.map((f) => [f.name, f.raw])).toEqual([
      ['aspect', '--AR'],
      ['stylize', '--Stylize'],
    ]);
  });

  it('accepts the em and en dashes editors substitute for --', () => {
    const p = parsePrompt('x \u2014ar 3:2 \u2013s 5');
    expect(p.params).toEqual({ aspect: '3:2', stylize: 5 });
    expect(p.flags[0]!.raw).toBe('\u2014ar');
  });

  it('types values: numbers, switches, word lists and comma lists', () => {
    const p = parsePrompt(
      'x --q .5 --tile --sref 123 https://s.example/a.png --no red, dead  plants , --iw 1.5',
    );
    expect(p.params).toEqual({
      quality: 0.5,
      tile: true,
      sref: ['123', 'https://s.example/a.png'],
      no: ['red', 'dead plants'],
      iw: 1.5,
    });
  });

  it('keeps a non-numeric value of a numeric flag as text so it can be reported', () => {
    expect(parsePrompt('x --s lots').params.stylize).toBe('lots');
  });

  it('keeps unknown flags, marked unknown, with their values', () => {
    const p = parsePrompt('x --foo bar baz --tile');
    expect(p.flags[0]).toEqual({ name: 'foo', raw: '--foo', value: 'bar baz', known: false });
    expect(p.params.foo).toBe('bar baz');
    expect(p.params.tile).toBe(true);
  });

  it('lets the last of a repeated flag win in params while listing both', () => {
    const p = parsePrompt('x --ar 1:1 --ar 2:3');
    expect(p.flags).toHaveLength(2);
    expect(p.params.aspect).toBe('2:3');
    expect(p.aspectRatio).toBe('2:3');
  });

  it.each([
    ['a cat', '7'],
    ['a cat --v 8.1', '8.1'],
    ['a cat --v 8', '8'],
    ['a cat --version 6.1', '6.1'],
    ['a cat --v 6.0', '6'],
    ['a cat --v 7.0', '7'],
    ['a cat --v7', '7'],
    ['a cat --v8.1', '8.1'],
    ['a cat --niji', 'niji 6'],
    ['a cat --niji 6', 'niji 6'],
    ['a cat --niji6', 'niji 6'],
    ['a cat --niji 5', 'niji 5'],
    ['a cat --v 5.2', '5.2'],
  ])('resolves the model of "%s" to %s', (prompt, version) => {
    expect(parsePrompt(prompt).version).toBe(version);
  });

  it.each([
    ['a cat --v 7 in the rain', '7'],
    ['--v 7 a cat', '7'],
    ['--v7 a cat', '7'],
    ['a cat --version 6.0 soft light --ar 1:1', '6'],
    ['a cat --v 8.1 long exposure', '8.1'],
    ['a cat --niji 6 anime style', 'niji 6'],
    ['a cat --niji6 anime style', 'niji 6'],
    ['a cat --v 6 first --v 8 second', '8'],
  ])('takes the model of "%s" from the first word after the flag: %s', (prompt, version) => {
    expect(parsePrompt(prompt).version).toBe(version);
  });

  it('takes the aspect ratio from the first word after --ar, as the job stores it', () => {
    expect(parsePrompt('--ar 16:9 a cat').aspectRatio).toBe('16:9');
    expect(parsePrompt('a cat --ar 2:3 soft light --v 7').aspectRatio).toBe('2:3');
    expect(parsePrompt('a cat').aspectRatio).toBeNull();
  });

  it('keeps the stray words in the version flag so they can be reported', () => {
    const p = parsePrompt('--v 7 a cat --ar 1:1');
    expect(p.flags[0]).toEqual({ name: 'version', raw: '--v', value: '7 a cat', known: true });
    expect(p.params.version).toBe('7 a cat');
    expect(p.version).toBe('7');
  });

  it('still gives a many-word flag every word up to the next flag', () => {
    expect(parsePrompt('x --no red trees --v 7 a cat').params.no).toEqual(['red trees']);
  });

  it('splits a glued version into flag and value', () => {
    const p = parsePrompt('x --v7 --draft');
    expect(p.flags[0]).toEqual({ name: 'version', raw: '--v', value: '7', known: true });
    expect(p.params).toEqual({ version: '7', draft: true });
  });

  it('keeps --style with other values as style', () => {
    expect(parsePrompt('x --style expressive').params).toEqual({ style: 'expressive' });
  });

  it('detects {a, b} permutations but not a lone {word}', () => {
    expect(parsePrompt('a {red, blue} car').hasPermutations).toBe(true);
    expect(parsePrompt('a {red} car').hasPermutations).toBe(false);
  });

  it('treats a dash inside a word, a bare -- and a negative number as text', () => {
    const p = parsePrompt('a well--known -- thing -5');
    expect(p.flags).toEqual([]);
    expect(p.text).toBe('a well--known -- thing -5');
  });

  it('parses an empty or flag-only prompt without throwing', () => {
    expect(parsePrompt('')).toMatchObject({ text: '', imageUrls: [], flags: [], version: '7' });
    expect(parsePrompt('--ar 1:1').text).toBe('');
  });

  it('gives a switch with nothing after it a null value', () => {
    expect(parsePrompt('x --p').flags[0]).toEqual({ name: 'profile', raw: '--p', value: null, known: true });
  });
});
