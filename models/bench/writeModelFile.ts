// Writes a ModelProto to a file piece by piece, each initializer's raw_data straight from its own array: the same bytes
// as encodeModel, without encodeModel's one buffer of the whole model (a second copy of 1.7 GB of weights).
import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeAround, type ModelProto, type TensorProto } from '../../src/core/onnx/onnxProto';

const LENGTH_DELIMITED = 2;

/** Returns the file's size in bytes. */
export function writeModelFile(path: string, model: ModelProto): number {
  const graph = encodeAround('onnx.GraphProto', model.graph, 'initializer');
  const graphPieces = [graph.before, ...model.graph.initializer.flatMap((t) => field(graph.fieldNumber, tensorPieces(t))), graph.after];
  const top = encodeAround('onnx.ModelProto', model, 'graph');
  const pieces = [top.before, ...field(top.fieldNumber, graphPieces), top.after];
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const piece of pieces) written += writeAll(fd, piece);
  } finally {
    closeSync(fd);
  }
  return written;
}

function tensorPieces(tensor: TensorProto): Uint8Array[] {
  const { before, after, fieldNumber } = encodeAround('onnx.TensorProto', tensor, 'raw_data');
  return tensor.raw_data ? [before, ...field(fieldNumber, [tensor.raw_data]), after] : [before, after];
}

/** A length-delimited field: its key and length, then its pieces (not copied). */
function field(fieldNumber: number, pieces: Uint8Array[]): Uint8Array[] {
  const length = pieces.reduce((n, piece) => n + piece.byteLength, 0);
  return [Uint8Array.from([...varint(fieldNumber * 8 + LENGTH_DELIMITED), ...varint(length)]), ...pieces];
}

/** Base-128 varint; arithmetic rather than bit operations, which would wrap lengths over 2 GiB. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function writeAll(fd: number, bytes: Uint8Array): number {
  for (let offset = 0; offset < bytes.byteLength; ) offset += writeSync(fd, bytes, offset);
  return bytes.byteLength;
}
