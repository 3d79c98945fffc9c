// Public entry point of the image module: pixel conversion, sanity checks, PNG with A1111 metadata.

export { latentImageToRgba } from './latentImageToRgba';
export { checkImageSanity, CONSTANT_IMAGE_RANGE } from './imageSanity';
export type { ImageSanity } from './imageSanity';
export { encodePng, insertPngText, readPngText, readPngTextChunks } from './pngText';
export { canvasToPng, encodePngNative } from './nativePng';
export type { PngTextChunks, SkippedTextChunk } from './pngText';
export { readPngInfo, settingsFromParameters, STUDIO_PARAMETER_KEYS, PNG_INFO_MAX_FILE_BYTES } from './pngInfo';
export type { PngInfo, PngInfoSource } from './pngInfo';
export {
  A1111_SAMPLER_NAMES,
  formatA1111Parameters,
  parseA1111Fields,
  parseA1111Parameters,
} from './a1111Parameters';
export type { A1111Fields, A1111Parameters } from './a1111Parameters';
