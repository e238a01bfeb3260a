import { describe, expect, it } from 'vitest';
import { jobViewSchema } from '../../src/shared/domain';
import type { Library } from '../../src/main/core/library';
import { toFtsMatch } from '../../src/main/core/library/query';
import { T0, snapshot, useTempLibraries } from './helpers';

const temp = useTempLibraries();
const MIN = 60_000;

function ids(lib: Library, text: string, q: Parameters<Library['search']>[1] = {}): string[] {
  return lib.search(text, q).items.map((j) => j.id);
}

describe('toFtsMatch', () => {
  it('quotes every word, ANDs them, and makes the last one a prefix', () => {
    expect(toFtsMatch('red  fox')).toBe('"red" "fox"*');
    expect(toFtsMatch('say "hi" NOT OR --ar 16:9 *')).toBe('"say" """hi""" "NOT" "OR" "--ar" "16:9"*');
    expect(toFtsMatch('  -- * ')).toBeNull();
  });
});

describe('search', () => {
  function seeded() {
    const { lib, clk } = temp.fresh();
    const make = (prompt: string, extra: Partial<Parameters<Library['createJob']>[0]> = {}) => {
      clk.advance(MIN);
      return lib.createJob({
        provider: 'legnext',
        taskType: 'diffusion',
        prompt,
        createdAt: clk.now(),
        ...extra,
      });
    };
    return { lib, clk, make };
  }

  it('finds words anywhere in the prompt, by prefix on the last word, ignoring case and accents', () => {
    const { lib, make } = seeded();
    const cafe = make('A small Café on a rainy street --ar 16:9 --v 7');
    const fox = make('red fox in the snow, cinematic lighting');
    const both = make('fox sleeping in a cafe');
    expect(ids(lib, 'cafe')).toEqual([both.id, cafe.id]);
    expect(ids(lib, 'CAFÉ rain')).toEqual([cafe.id]);
    expect(ids(lib, 'fox cin')).toEqual([fox.id]);
    expect(ids(lib, 'fo')).toEqual([both.id, fox.id]);
    expect(ids(lib, 'snow fox')).toEqual([fox.id]);
    expect(ids(lib, 'nothing-like-this')).toEqual([]);
    for (const view of lib.search('fox').items) jobViewSchema.parse(view);
  });

  it('treats punctuation, quotes and query syntax in user text as plain text', () => {
    const { lib, make } = seeded();
    const param = make('castle --ar 16:9 --v 7');
    const quoted = make('the "golden" hour NEAR the sea');
    for (const text of ['--ar 16:9', '"golden', 'NEAR', 'castle OR', 'golden)', 'AND *', 'col:umn', '^sea']) {
      expect(() => lib.search(text)).not.toThrow();
    }
    expect(ids(lib, '--ar 16:9')).toEqual([param.id]);
    expect(ids(lib, '"golden"')).toEqual([quoted.id]);
    expect(ids(lib, 'NEAR sea')).toEqual([quoted.id]);
    // Nothing searchable: the plain listing.
    expect(ids(lib, '  --  ')).toEqual([quoted.id, param.id]);
  });

  it('stays in sync when a prompt changes or a job is deleted', () => {
    const { lib, make } = seeded();
    const job = make('a lighthouse at night');
    const other = make('a lighthouse by day');
    lib.updateJob(job.id, { prompt: 'a windmill at night' });
    expect(ids(lib, 'lighthouse')).toEqual([other.id]);
    expect(ids(lib, 'windmill')).toEqual([job.id]);
    lib.updateJob(job.id, { prompt: null });
    expect(ids(lib, 'windmill')).toEqual([]);
    lib.deleteJob(other.id);
    expect(ids(lib, 'lighthouse')).toEqual([]);
  });

  it('stays in sync with tags', () => {
    const { lib, make } = seeded();
    const job = make('portrait of a cat');
    lib.setTags(job.id, ['Keeper', 'print-ready']);
    expect(ids(lib, 'keeper')).toEqual([job.id]);
    expect(ids(lib, 'print ready')).toEqual([job.id]);
    lib.setTags(job.id, ['print-ready']);
    expect(ids(lib, 'keeper')).toEqual([]);
    expect(ids(lib, 'cat print')).toEqual([job.id]);
    lib.setTags(job.id, []);
    expect(ids(lib, 'print')).toEqual([]);
  });

  it('indexes describe and shorten text, and follows it when it changes', () => {
    const { lib } = seeded();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'describe',
      status: 'queued',
      remoteId: 'd1',
    });
    const described = snapshot({
      remoteId: 'd1',
      taskType: 'describe',
      text: {
        prompts: ['an old tram in lisbon', 'yellow tram, hills'],
        description: 'A streetcar climbing.',
      },
    });
    lib.applySnapshot(job.id, described);
    expect(ids(lib, 'lisbon')).toEqual([job.id]);
    expect(ids(lib, 'streetcar')).toEqual([job.id]);
    lib.applySnapshot(job.id, {
      ...described,
      text: { prompts: ['a cable car in porto'], description: null },
    });
    expect(ids(lib, 'lisbon')).toEqual([]);
    expect(ids(lib, 'streetcar')).toEqual([]);
    expect(ids(lib, 'porto')).toEqual([job.id]);
  });

  it('keeps a job findable exactly once after the API moves its creation time', () => {
    const { lib } = seeded();
    const job = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      prompt: 'glacier',
      remoteId: 'g1',
    });
    const later = lib.createJob({
      provider: 'legnext',
      taskType: 'diffusion',
      prompt: 'glacier',
      createdAt: T0 + 1,
    });
    lib.applySnapshot(job.id, snapshot({ remoteId: 'g1', createdAt: new Date(T0 + 5 * MIN).toISOString() }));
    expect(ids(lib, 'glacier')).toEqual([job.id, later.id]);
    expect(lib.listJobs().items.map((j) => j.id)).toEqual([job.id, later.id]);
  });

  it('combines text with filters and pages by creation time without gaps or repeats', () => {
    const { lib, make } = seeded();
    const made = Array.from({ length: 23 }, (_, i) =>
      make(`harbor study ${i}`, {
        status: i % 3 === 0 ? 'failed' : 'completed',
        taskType: i % 2 ? 'upscale' : 'diffusion',
      }),
    );
    make('unrelated meadow');
    const expected = made
      .filter((_, i) => i % 3 === 0 && i % 2 === 0)
      .map((j) => j.id)
      .reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = lib.search('harbor stu', { status: 'failed', taskType: 'diffusion', limit: 2, cursor });
      seen.push(...page.items.map((j) => j.id));
      cursor = page.next;
      if (cursor === null) break;
    }
    expect(seen).toEqual(expected);
    const oldest = lib.search('harbor', { sort: 'oldest', limit: 500 }).items.map((j) => j.id);
    expect(oldest).toEqual(made.map((j) => j.id));
  });
});
