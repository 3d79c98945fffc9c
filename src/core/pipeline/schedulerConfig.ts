// The model's timestep spacing: a shipped diffusers scheduler_config.json wins over the manifest's own value.
import { StudioError } from '../../shared/errors';
import { TIMESTEP_SPACINGS, type ModelManifest, type TimestepSpacing } from '../../shared/manifest';
import { readJson, type ModelFileReader } from './modelFiles';

/** Undefined when neither says: each sampler keeps its own default spacing. */
export async function resolveTimestepSpacing(manifest: ModelManifest, files: ModelFileReader): Promise<TimestepSpacing | undefined> {
  const declared = manifest.scheduler?.timestepSpacing;
  const path = manifest.scheduler?.config;
  if (!path) return declared;
  let config: { timestep_spacing?: unknown };
  try {
    config = await readJson(files, path);
  } catch (error) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `Could not read the scheduler config ${path} from ${files.origin}: ${String(error)}`,
      remedy: 'Check that the model is installed, then reload.',
    });
  }
  const shipped = config.timestep_spacing;
  if (shipped === undefined) return declared;
  if (!TIMESTEP_SPACINGS.includes(shipped as TimestepSpacing)) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `${path} sets timestep_spacing "${String(shipped)}", which the studio does not know (it knows ${TIMESTEP_SPACINGS.join(', ')}).`,
      remedy: 'Fix the scheduler config or remove it from the manifest.',
    });
  }
  return shipped as TimestepSpacing;
}
