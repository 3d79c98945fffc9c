// Step-by-step mode: pause, single step, resume, the timeline of step snapshots, VAE decodes on demand.
import { describeError, StudioError } from '../../shared/errors';
import { getEngine } from '../engineInstance';
import { runningJob } from './generationSlice';
import type { GetState, SetState, TeachingSlice } from './types';

export function createTeachingSlice(set: SetState, get: GetState): TeachingSlice {
  return {
    teachingMode: false,
    pausedBeforeStep: null,
    timeline: [],
    selectedStep: null,
    decoded: null,
    timelineRunId: null,
    setTeachingMode: (teachingMode) => set({ teachingMode }),
    pauseRun: () => runningJob()?.pause(),
    resumeRun: () => runningJob()?.resume(),
    stepRun: () => runningJob()?.step(),
    selectStep: (index) => {
      const previous = get().decoded;
      if (previous) URL.revokeObjectURL(previous.url);
      set({ selectedStep: index, decoded: null });
    },
    decodeSelectedStep: async () => {
      const { selectedStep, timelineRunId } = get();
      if (selectedStep === null || timelineRunId === null) return;
      try {
        const png = await getEngine().decodeStep(timelineRunId, selectedStep);
        const url = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        set({ decoded: { index: selectedStep, url } });
      } catch (error) {
        set({ error: describeError(StudioError.from(error, 'vae')) });
      }
    },
  };
}
