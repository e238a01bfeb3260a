/** Human-readable output of the CLI. `--json` bypasses all of this. */
import type { ImageHostView } from '../shared/contract';
import type { JobView } from '../shared/domain';
import type { QueueEvent } from '../main/core/queue/queue';

export const HELP = `genvault — make, keep and browse Legnext (Midjourney) generations

Usage: genvault [--library DIR] [--json] <command> …

Keys and account
  key set [--provider P]        store an API key read from standard input in the OS keychain
  key status | key clear        show (last 4 characters only) or remove the stored key
  balance                       credits and points left on the Legnext account

Making things (add --wait to wait until the job ends and its files are archived)
  imagine <prompt>              text to image, e.g. "a lighthouse at dusk --ar 16:9 --v 7"
  video <prompt> [--from JOBID:N] [--quality 480|720]          Legnext (Midjourney) video
  video <prompt> --provider leonardo|vidu [--from IMG] [--model M] [--duration S]
        [--resolution R] [--ar W:H] [--last IMG] [--ref IMG…] [--seed N] [--audio] [--bgm]
      Leonardo animates an image (--from; uploaded for you); Vidu makes text, image,
      first-and-last-frame (--from + --last) or reference (--ref up to 4) videos
  run <op> JOBID[:N] [flags]    a follow-up on a library job:
      variation [--type subtle|strong] [--prompt P]   upscale [--type subtle|creative]
      reroll   remix --prompt P [--mode strong|subtle]   enhance
      pan --direction down|right|up|left [--scale 1.1-3.0] [--prompt P]
      outpaint [--scale 1.1-2.0] [--prompt P]   inpaint --mask FILE [--prompt P]
      edit --canvas WxH [--position WxH+X+Y] --prompt P [--mask FILE]
      animate [--prompt P] [--quality 480|720]   extend [--prompt P]   video-upscale
  run <op> IMG [flags]          an operation on any image:
      topaz [--resolution HD|FHD|2K|4K|6K|8K|12K]   remove-background   retexture --prompt P
      upload-paint --canvas WxH [--position WxH+X+Y] --prompt P --mask FILE
      --mask is a black-and-white mask image (white is repainted; a file or JOBID:N) of the
      image's shape, or a JSON file: {"areas":[{"width":W,"height":H,"points":[x1,y1,…]}]}
  blend IMG IMG… [--ar 2:3|1:1|3:2]   describe IMG   shorten <prompt>
      IMG is an http(s) URL, JOBID:N of a library image, or an image file on this computer.
      Files, and library images older than 30 days, go through your image host (below).
  retry JOBID                   send a failed job again

The image host (any S3-compatible bucket: AWS S3, Cloudflare R2, MinIO, Backblaze B2)
  host set --endpoint URL --region R --bucket B --access-key-id ID [--path-style]
           [--key-prefix P] [--url-minutes N] [--secret-stdin]
      the secret access key is read from standard input (--secret-stdin) into the OS keychain,
      or taken from GENVAULT_S3_SECRET_ACCESS_KEY; later calls change only the flags given
  host status | host clear      show the settings (never the secret) or remove them and the secret
  host test                     upload a tiny image, read it back through a presigned link, delete it

The library
  import JOBID… [--file F]      add existing Legnext jobs by id and archive their outputs
  sync                          poll unfinished jobs and archive pending outputs, then exit
  list [--type T] [--status S] [--limit N] [--cursor C] [--stacked]
  search <words> [--limit N] [--stacked]   full-text search over prompts, descriptions and tags
      --stacked lists each family once (its first job) with "stacks": {id: {rootId, jobs}}
  show JOBID                    one job with its outputs and files
  tag JOBID [TAG…] [--remove]   add tags to a job (or remove them); without tags, list its tags
  remove JOBID… --yes           delete finished jobs and their files for good (follow-ups stay)
  rebuild                       rebuild the database from the job.json files in the library folder
  serve [--port N]              open the library in a browser on this computer (loopback only)

Environment
  LEGNEXT_API_KEY     overrides the stored key      LEGNEXT_BASE_URL  API origin (default https://api.legnext.ai)
  GENVAULT_LIBRARY    library folder (default ~/GenVault)
  LEONARDO_API_KEY, LEONARDO_BASE_URL   Leonardo key and API base (default https://cloud.leonardo.ai/api/rest/v1)
  UNIALL_API_KEY, UNIALL_BASE_URL       UniAll key and your gateway's base URL (required for Vidu)
  GENVAULT_S3_SECRET_ACCESS_KEY         the image host's secret access key (overrides the keychain)
  GENVAULT_POLL_SCALE multiplies poll intervals and retry waits, e.g. 0.01 (a testing and simulator aid)

Exit codes: 0 ok, 1 job failed or output not archived, 2 invalid input, 3 rejected by the API,
4 network or server unavailable after retries.`;

/** The image host settings; the secret access key only as set or not. */
export function describeImageHost(view: ImageHostView): string {
  const c = view.config;
  if (!c) {
    return 'No image host is set up: files and library images older than 30 days cannot be sent. Run `genvault host set`.';
  }
  return [
    `Image host: bucket "${c.bucket}" at ${c.endpoint} (region ${c.region}, ${c.pathStyle ? 'path-style' : 'virtual-hosted'} URLs)`,
    `  access key ID ${c.accessKeyId}; secret access key ${view.secretSet ? 'set' : 'NOT set: pipe it to `genvault host set --secret-stdin` or set GENVAULT_S3_SECRET_ACCESS_KEY'}`,
    `  uploads are named ${c.prefix}<sha256>.<ext>; presigned links last ${c.urlMinutes} minutes`,
  ].join('\n');
}

function when(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—';
}

export function describeJob(job: JobView): string {
  const lines: string[] = [];
  const parent = job.parent
    ? `  (from ${job.parent.id}${job.parent.index !== null ? `:${job.parent.index}` : ''})`
    : '';
  lines.push(`${job.id}  ${job.taskType}  ${job.status}${parent}`);
  if (job.remoteId) lines.push(`  ${job.provider} id: ${job.remoteId}`);
  if (job.prompt) lines.push(`  prompt: ${job.prompt}`);
  // Only Legnext documents its retention (30 days); the others' CDN links are not promised to last.
  lines.push(
    job.provider === 'legnext'
      ? `  created ${when(job.createdAt)} · files kept on the CDN until ${when(job.cdnExpiresAt)}`
      : `  created ${when(job.createdAt)} · provider: ${job.provider}`,
  );
  if (job.cost.frozen || job.cost.consumed)
    lines.push(`  cost: ${job.cost.consumed || job.cost.frozen} points`);
  if (job.error) lines.push(`  error: ${job.error.message}`);
  if (job.tags.length) lines.push(`  tags: ${job.tags.join(', ')}`);
  for (const o of job.outputs) {
    const name = o.kind === 'grid' ? 'grid' : `${o.kind} ${o.index}`;
    const where = o.path ?? o.url ?? '';
    const size = o.width && o.height ? ` ${o.width}×${o.height}` : '';
    lines.push(
      `  ${name.padEnd(8)} ${o.state.padEnd(11)}${size} ${where}${o.error && o.state !== 'archived' ? ` — ${o.error}` : ''}`,
    );
  }
  if (job.text) {
    job.text.prompts.forEach((p, i) => lines.push(`  ${i + 1}. ${p}`));
  }
  return lines.join('\n');
}

/** One progress line on stderr for `--wait` and `sync`, or null when the event is not worth a line. */
export function describeEvent(event: QueueEvent, onlyJob: string | null): string | null {
  switch (event.type) {
    case 'job': {
      if (onlyJob && event.job.id !== onlyJob) return null;
      const j = event.job;
      const archived = j.outputs.filter((o) => o.state === 'archived').length;
      const files = j.outputs.length ? ` · ${archived}/${j.outputs.length} files archived` : '';
      return `${j.id.slice(0, 13)} ${j.taskType} ${j.status}${files}`;
    }
    case 'paused':
      return `paused: ${event.reason}`;
    case 'offline':
      return `offline: ${event.reason} (retrying)`;
    case 'online':
      return 'back online';
    default:
      return null;
  }
}
