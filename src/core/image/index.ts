// Public entry point of the image module: pixel conversion, sanity checks, PNG with A1111 metadata.

export { latentImageToRgba } from './latentImageToRgba';
export { checkImageSanity, CONSTANT_IMAGE_RANGE } from './imageSanity';
export type { ImageSanity } from './imageSanity';
export { encodePng, readPngText } from './pngText';
export {
  A1111_SAMPLER_NAMES,
  formatA1111Parameters,
  parseA1111Fields,
  parseA1111Parameters,
} from './a1111Parameters';
export type { A1111Fields, A1111Parameters } from './a1111Parameters';
