/**
 * The `genvault://media/` protocol serves images the person imported (`inputs/`, shown in the Blend and
 * Describe slots) next to archived media, and still refuses every way out of the library: dot segments,
 * encoded traversal, symlinks pointing outside, and folders that are not served.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../src/shared/media';
import { SERVED_FOLDERS } from '../../src/main/core/api/paths';
import { createProtocolHandler } from '../../src/main/shell/protocol';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);
const SHA = 'a'.repeat(64);

let dir: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'genvault-protocol-inputs-'));
  const library = path.join(dir, 'library');
  await mkdir(path.join(library, 'inputs'), { recursive: true });
  await mkdir(path.join(library, 'media'), { recursive: true });
  await mkdir(path.join(library, 'backups'), { recursive: true });
  await writeFile(path.join(library, 'inputs', `${SHA}.png`), PNG);
  await writeFile(path.join(library, 'inputs', 'notes.txt'), 'not an image');
  await writeFile(path.join(library, 'backups', 'old.png'), PNG);
  await writeFile(path.join(library, 'genvault.db'), 'SQLite format 3\0');
  await writeFile(path.join(dir, 'outside.png'), 'outside');
  await symlink(path.join(dir, 'outside.png'), path.join(library, 'inputs', 'link.png'));
  await symlink(path.join(library, 'backups'), path.join(library, 'inputs', 'backups'));
  handler = createProtocolHandler({ appDir: path.join(dir, 'renderer'), libraryRoot: library });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string) => handler(new Request(url));

describe('genvault:// protocol: imported images', () => {
  it('serves inputs/ at the URL mediaUrl gives for an imported file', async () => {
    expect(SERVED_FOLDERS).toEqual(['media', 'thumbs', 'inputs']);
    const url = mediaUrl(`inputs/${SHA}.png`, 'electron');
    expect(url).toBe(`genvault://media/inputs/${SHA}.png`);
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  });

  it('refuses traversal, links out of the library, other folders and files that are not media', async () => {
    const refused: Array<[string, number]> = [
      ['genvault://media/inputs/../genvault.db', 404],
      ['genvault://media/inputs/..%2fgenvault.db', 403],
      ['genvault://media/inputs/%2e%2e/genvault.db', 404],
      ['genvault://media/inputs/link.png', 403],
      ['genvault://media/inputs/backups/old.png', 403],
      ['genvault://media/backups/old.png', 404],
      ['genvault://media/inputs/notes.txt', 404],
      ['genvault://media/inputs/', 404],
      ['genvault://media/inputs%5c..%5cgenvault.db', 400],
    ];
    const got = await Promise.all(refused.map(async ([url]) => [url, (await get(url)).status] as const));
    expect(got).toEqual(refused);
  });
});
