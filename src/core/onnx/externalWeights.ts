// Points a patched graph's weights at the original model file instead of copying them: the patched graph is then a
// small file beside the untouched original (ONNX external data), so both are kept without storing the weights twice.
import type { ModelProto } from './onnxProto';

const EXTERNAL = 1;
/** Small tensors stay inline: an external entry costs about as much as a few dozen bytes of data. */
const MIN_EXTERNAL_BYTES = 64;

/**
 * Rewrites every initializer whose raw bytes are a view into `original` (decodeModel keeps them so) as external
 * data at `location` with the view's offset and length. onnxruntime-web then needs `original` passed as
 * `externalData: [{ path: location, data: original }]`. Returns how many weight bytes now point there.
 */
export function pointWeightsAtOriginal(model: ModelProto, original: Uint8Array, location: string): number {
  let bytes = 0;
  for (const init of model.graph.initializer) {
    const raw = init.raw_data;
    if (!raw || raw.byteLength < MIN_EXTERNAL_BYTES || raw.buffer !== original.buffer) continue;
    const offset = raw.byteOffset - original.byteOffset;
    if (offset < 0 || offset + raw.byteLength > original.byteLength) continue;
    init.data_location = EXTERNAL;
    init.external_data = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.byteLength) },
    ];
    init.raw_data = new Uint8Array(0);
    bytes += raw.byteLength;
  }
  return bytes;
}
