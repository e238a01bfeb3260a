/**
 * Black-and-white mask images (white = repaint, black = keep), Legnext's alternative to drawn
 * `mask.areas` for inpaint, edit and upload-paint. Legnext says nothing about how it reads a mask
 * that does not fit, so GenVault only sends one that plainly is a mask of that image: its shape, some
 * white, not all white, and hardly any grey. What it would repaint is measured on a copy of at most
 * `SAMPLE_SIDE` pixels a side, scaled by nearest neighbour so scaling adds no grey of its own.
 */
import sharp, { type Metadata } from 'sharp';
import type { MaskImageView } from '../../../shared/contract';
import type { Size } from '../../../shared/geometry';
import { InvalidInputError } from '../errors';

const SAMPLE_SIDE = 512;
/** Luma at or above which a pixel counts as white (repainted). */
const LIGHT = 128;
/** Luma band counted as grey: neither near-black nor near-white. */
const GREY_LOW = 48;
const GREY_HIGH = 207;
/** Most grey a mask may have: anti-aliased or feathered edges, not a photo. */
export const MAX_GREY_SHARE = 0.1;
/** How far a mask's aspect ratio may be from its image's (rounding of a resized mask). */
const ASPECT_TOLERANCE = 0.01;

function percent(share: number): string {
  const p = share * 100;
  return p > 0 && p < 1 ? '<1 %' : `${Math.round(p)} %`;
}

function sizeText(size: Size): string {
  return `${size.width} × ${size.height}`;
}

/** What keeps a mask of these measurements from masking an image of `target` size; null if nothing. */
export function maskProblem(
  mask: { width: number; height: number; whiteShare: number; greyShare: number },
  target: Size | null,
): string | null {
  if (target) {
    const want = target.width / target.height;
    const got = mask.width / mask.height;
    if (Math.abs(got - want) / want > ASPECT_TOLERANCE) {
      return `The mask is ${sizeText(mask)} and the image is ${sizeText(target)}: a mask must have the image's shape.`;
    }
  }
  if (mask.greyShare > MAX_GREY_SHARE) {
    return `This is not a black-and-white mask: ${percent(mask.greyShare)} of it is grey. Paint what should change white and the rest black.`;
  }
  if (mask.whiteShare === 0) {
    return 'The mask is all black, so nothing would be repainted: paint what should change white.';
  }
  if (mask.whiteShare === 1) {
    return 'The mask is all white, so the whole image would be repainted: leave what should stay black.';
  }
  return null;
}

/**
 * Reads the mask image at `file` (any format sharp decodes; transparency counts as black, EXIF
 * orientation applied) and measures it against `target`, the size of the image it masks when known.
 */
export async function inspectMask(file: string, target: Size | null): Promise<MaskImageView> {
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch {
    throw new InvalidInputError('The mask is not an image GenVault can read.', 'maskImage');
  }
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  if (width === 0 || height === 0) {
    throw new InvalidInputError('The mask is not an image GenVault can read.', 'maskImage');
  }
  const scale = Math.min(1, SAMPLE_SIDE / Math.max(width, height));
  const { data, info } = await sharp(file)
    .rotate()
    .flatten({ background: '#000000' })
    .resize({
      width: Math.max(1, Math.round(width * scale)),
      height: Math.max(1, Math.round(height * scale)),
      fit: 'fill',
      kernel: 'nearest',
    })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let light = 0;
  let grey = 0;
  const pixels = data.length / info.channels;
  for (let i = 0; i < data.length; i += info.channels) {
    const luma = data[i]!;
    if (luma >= LIGHT) light++;
    if (luma >= GREY_LOW && luma <= GREY_HIGH) grey++;
  }
  const measured = { width, height, whiteShare: light / pixels, greyShare: grey / pixels };
  return { ...measured, problem: maskProblem(measured, target) };
}
