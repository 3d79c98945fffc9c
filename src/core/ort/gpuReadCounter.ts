// Counts GPU-to-CPU buffer maps (GPUBuffer.mapAsync with READ) so "no readback per step" is measured, not assumed.
// It sees ORT's internal downloads too, which a count of our own reads would miss.
let reads = 0;
let installed = false;

export function installGpuReadCounter(): void {
  const proto = (globalThis as { GPUBuffer?: { prototype: GPUBuffer } }).GPUBuffer?.prototype;
  if (installed || !proto) return;
  installed = true;
  const original = proto.mapAsync;
  const READ = (globalThis as unknown as { GPUMapMode: { READ: number } }).GPUMapMode.READ;
  proto.mapAsync = function (this: GPUBuffer, mode: number, ...rest: [number?, number?]) {
    if (mode & READ) reads += 1;
    return original.call(this, mode, ...rest);
  };
}

export function gpuReadCount(): number {
  return reads;
}
