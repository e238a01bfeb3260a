/**
 * Calls that take images from anywhere (library outputs, imported files, URLs): blend, describe,
 * shorten, image operations, mask images, file import and the S3-compatible image host settings.
 * Image operations upload what they need before the job is written, so a problem with the image host
 * is the answer to the call rather than a job that fails later.
 */
import type { JobView } from '../../../shared/domain';
import { importImage } from '../images';
import type { HandlerContext, HandlerGroup } from './handlers';
import { clientJobView } from './views';

type ImageCalls =
  | 'jobs.blend'
  | 'jobs.describe'
  | 'jobs.shorten'
  | 'jobs.onImage'
  | 'images.checkMask'
  | 'files.import'
  | 'imageHost.get'
  | 'imageHost.set'
  | 'imageHost.clear'
  | 'imageHost.test';

export function imageHandlers(ctx: HandlerContext): HandlerGroup<ImageCalls> {
  const { vault } = ctx;
  const view = (job: JobView): JobView => clientJobView(vault.library.root, job);
  return {
    'jobs.blend': async ({ images, aspectRatio }) => {
      await vault.stageImages(images, 'blend');
      return view(vault.blend(images, aspectRatio));
    },
    'jobs.describe': async ({ image }) => {
      await vault.stageImages([image], 'describe');
      return view(vault.describe(image));
    },
    'jobs.shorten': async ({ prompt }) => view(vault.shorten(prompt)),
    'jobs.onImage': async ({ op, image, options }) => {
      await vault.stageImages([image], op);
      await vault.prepareImages(op, image, options);
      return view(vault.onImage(op, image, options));
    },
    'images.checkMask': async ({ mask, width, height }) => vault.inspectMaskImage(mask, { width, height }),
    'files.import': async ({ name, dataBase64 }) => importImage(vault.library.root, name, dataBase64),
    'imageHost.get': async () => vault.images.view(),
    'imageHost.set': async ({ config, secretAccessKey }) => vault.images.set(config, secretAccessKey),
    'imageHost.clear': async () => vault.images.clear(),
    'imageHost.test': async () => vault.images.test(),
  };
}
