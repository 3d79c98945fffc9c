// Turns onnx.proto (copied from the onnx Python package, IR version 8) into the protobufjs JSON
// descriptor the graph patcher loads with protobufjs/light, so the browser bundle carries no parser.
// Run: node models/onnx-schema/build-schema.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const source = readFileSync(new URL('./onnx.proto', import.meta.url), 'utf8');
const { root } = protobuf.parse(source, { keepCase: true });
const out = new URL('../../src/core/onnx/onnx.schema.json', import.meta.url);
writeFileSync(out, JSON.stringify(root.toJSON(), null, 0) + '\n');
console.log(`wrote ${out.pathname}`);
