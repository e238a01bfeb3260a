/**
 * The command line with images from the computer: `genvault host set|status|test|clear` and
 * `genvault blend ./a.png ./b.png` and `genvault run inpaint … --mask ./mask.png`, run as the real `bin/genvault.js` against the Legnext simulator and
 * a real S3-compatible server (s3rver behind the signature-checking gate) on 127.0.0.1. The secret
 * never shows in any output or library file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobViewSchema } from '../../src/shared/domain';
import { runCli } from '../../src/cli/main';
import { NO_IMAGE_HOST_MESSAGE, sha256Hex } from '../../src/main/core/images';
import { SecretStore } from '../../src/main/core/secrets';
import { noiseImage } from '../archive/fixtures';
import { MemoryBackend, filesUnder } from '../core/harness';
import { S3_ACCESS_KEY_ID, S3_SECRET, startS3Gate, type S3Gate } from '../images/s3-gate';
import { startLegnextSim, type LegnextSim } from '../sim/legnext/index';
import { useCli } from './support';

const cli = useCli();
let sim: LegnextSim;
let gate: S3Gate;
let pngA: Buffer;
let pngB: Buffer;

beforeAll(async () => {
  [sim, gate] = await Promise.all([startLegnextSim({ apiKey: 'sk-cli-images-3e9d1c' }), startS3Gate()]);
  [pngA, pngB] = await Promise.all([noiseImage(36, 24, 'png'), noiseImage(24, 36, 'png')]);
});
afterAll(async () => {
  await Promise.all([sim.close(), gate.close()]);
});

function envFor(library: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: library,
    GENVAULT_LIBRARY: library,
    LEGNEXT_BASE_URL: sim.url,
    LEGNEXT_API_KEY: sim.apiKey,
    GENVAULT_POLL_SCALE: '0.01',
    ...extra,
  };
}

const hostFlags = () => [
  '--endpoint',
  gate.endpoint,
  '--region',
  'us-east-1',
  '--bucket',
  'genvault-test',
  '--access-key-id',
  S3_ACCESS_KEY_ID,
  '--path-style',
];

describe('genvault blend with files from the computer', () => {
  it('sets up the host, tests it, and blends ./a.png ./b.png through presigned URLs', async () => {
    const library = cli.tempDir();
    const work = cli.tempDir('genvault-cli-files-');
    writeFileSync(path.join(work, 'a.png'), pngA);
    writeFileSync(path.join(work, 'b.png'), pngB);
    // Relative to the working directory the command runs in, as a person types them.
    const [a, b] = ['a.png', 'b.png'].map((f) => `./${path.relative(process.cwd(), path.join(work, f))}`);
    const env = envFor(library, { GENVAULT_S3_SECRET_ACCESS_KEY: S3_SECRET });

    const set = await cli.run(['host', 'set', ...hostFlags(), '--json'], env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      config: gate.config(),
      secretSet: true,
      secretSource: 'env',
    });

    const test = await cli.run(['host', 'test'], env);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^The image host works/);

    const blend = await cli.run(['blend', a!, b!, '--ar', '2:3', '--wait', '--json'], env);
    expect(blend.code).toBe(0);
    const job = jobViewSchema.parse(JSON.parse(blend.stdout));
    expect(job.status).toBe('completed');
    expect(job.outputs.every((o) => o.state === 'archived')).toBe(true);

    const post = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/blend').at(-1)!;
    const urls = (post.body as { imgUrls: string[] }).imgUrls;
    expect(urls).toHaveLength(2);
    for (const [url, bytes] of [
      [urls[0]!, pngA],
      [urls[1]!, pngB],
    ] as const) {
      expect(url.startsWith(`${gate.endpoint}/genvault-test/genvault/${sha256Hex(bytes)}.png?X-Amz-`)).toBe(
        true,
      );
      const res = await request(url);
      expect(res.statusCode).toBe(200);
      expect(Buffer.from(await res.body.arrayBuffer())).toEqual(bytes);
    }

    for (const r of [set, test, blend]) expect(r.stdout + r.stderr).not.toContain(S3_SECRET);
    for (const file of filesUnder(library)) expect(readFileSync(file).includes(S3_SECRET)).toBe(false);
  });

  it('without an image host, says what to set up (in the app and on the command line) and sends nothing', async () => {
    const library = cli.tempDir();
    const work = cli.tempDir('genvault-cli-files-');
    writeFileSync(path.join(work, 'a.png'), pngA);
    const posts = sim.requests.length;
    const r = await cli.run(['describe', path.join(work, 'a.png')], envFor(library));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `${NO_IMAGE_HOST_MESSAGE} On the command line: \`genvault host set --endpoint … --region … --bucket … --access-key-id …\`.`,
    );
    expect(sim.requests).toHaveLength(posts);
  });
});

describe('genvault run inpaint --mask with a mask image', () => {
  it('checks the mask against the image, uploads it and sends it as mask.url; a mask of another shape exits 2', async () => {
    const library = cli.tempDir();
    const work = cli.tempDir('genvault-cli-mask-');
    const env = envFor(library, { GENVAULT_S3_SECRET_ACCESS_KEY: S3_SECRET });
    expect((await cli.run(['host', 'set', ...hostFlags()], env)).code).toBe(0);
    const made = await cli.run(['imagine', 'a paper boat on a rainy street', '--wait', '--json'], env);
    expect(made.code).toBe(0);
    const grid = jobViewSchema.parse(JSON.parse(made.stdout));
    const image = grid.outputs.find((o) => o.kind === 'image' && o.index === 1)!;
    const { width, height } = await sharp(path.resolve(library, image.path!)).metadata();

    // White over the top half, black below: repaint the sky.
    const mask = await sharp({ create: { width: width!, height: height!, channels: 3, background: '#000' } })
      .composite([
        {
          input: {
            create: { width: width!, height: Math.round(height! / 2), channels: 3, background: '#fff' },
          },
          left: 0,
          top: 0,
        },
      ])
      .png()
      .toBuffer();
    writeFileSync(path.join(work, 'sky.png'), mask);
    writeFileSync(
      path.join(work, 'wide.png'),
      await sharp(mask)
        .resize(width! * 2, height!)
        .png()
        .toBuffer(),
    );

    const posts = sim.requests.length;
    const wrong = await cli.run(
      ['run', 'inpaint', `${grid.id}:1`, '--mask', path.join(work, 'wide.png'), '--json'],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout || wrong.stderr).error.message).toBe(
      `The mask is ${width! * 2} × ${height} and the image is ${width} × ${height}: a mask must have the image's shape.`,
    );
    expect(sim.requests).toHaveLength(posts);

    const run = await cli.run(
      [
        'run',
        'inpaint',
        `${grid.id}:1`,
        '--mask',
        path.join(work, 'sky.png'),
        '--prompt',
        'a storm',
        '--wait',
        '--json',
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const child = jobViewSchema.parse(JSON.parse(run.stdout));
    expect(child.parent).toEqual({ id: grid.id, index: 1 });
    const post = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/inpaint').at(-1)!;
    const sent = post.body as { mask: { url: string }; remixPrompt: string };
    expect(sent.remixPrompt).toBe('a storm');
    expect(
      sent.mask.url.startsWith(`${gate.endpoint}/genvault-test/genvault/${sha256Hex(mask)}.png?X-Amz-`),
    ).toBe(true);
    const res = await request(sent.mask.url);
    expect(Buffer.from(await res.body.arrayBuffer())).toEqual(mask);
  });
});

describe('genvault host', () => {
  it('stores the secret from standard input in the key store, shows only whether it is set, and clears it', async () => {
    const library = cli.tempDir();
    const backend = new MemoryBackend();
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      stdin: async () => `${S3_SECRET}\n`,
      env: envFor(library),
      secrets: new SecretStore(backend, {}),
    };

    expect(await runCli(['host', 'status'], io)).toBe(0);
    expect(out.at(-1)).toMatch(/^No image host is set up/);

    expect(await runCli(['host', 'set', ...hostFlags(), '--secret-stdin'], io)).toBe(0);
    expect(backend.values.get('image-host')).toBe(S3_SECRET);
    expect(out.at(-1)).toContain('secret access key set');

    expect(await runCli(['host', 'set', '--url-minutes', '30', '--json'], io)).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toEqual({
      config: gate.config({ urlMinutes: 30 }),
      secretSet: true,
      secretSource: 'keychain',
    });

    expect(await runCli(['host', 'test'], io)).toBe(0);
    expect(await runCli(['host', 'clear'], io)).toBe(0);
    expect(backend.values.has('image-host')).toBe(false);
    expect(out.join('\n')).not.toContain(S3_SECRET);
    for (const file of filesUnder(library)) expect(readFileSync(file).includes(S3_SECRET)).toBe(false);
  });

  it('refuses a first `host set` without the required flags', async () => {
    const library = cli.tempDir();
    const err: string[] = [];
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => err.push(t),
      stdin: async () => '',
      env: envFor(library),
      secrets: new SecretStore(new MemoryBackend(), {}),
    };
    expect(await runCli(['host', 'set', '--bucket', 'genvault-test'], io)).toBe(2);
    expect(err.at(-1)).toBe(
      'host set needs --endpoint, --region, --bucket and --access-key-id the first time.',
    );
  });
});
