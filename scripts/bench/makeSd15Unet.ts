// Writes the SD-1.5-sized fp16 bench UNet (models/bench/sd15UnetBench.ts) to argv[2], streamed, and prints one JSON
// line: its size, weight count and how long it took.
import { floatParameterCount, makeSd15Unet } from '../../models/bench/sd15UnetBench';
import { writeModelFile } from '../../models/bench/writeModelFile';

const started = performance.now();
const model = makeSd15Unet({ float16: true });
const bytes = writeModelFile(process.argv[2], model);
console.log(JSON.stringify({ bytes, parameters: floatParameterCount(model), ms: Math.round(performance.now() - started) }));
