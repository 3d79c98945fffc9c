// Step-by-step mode: pause, single step, resume, the timeline of step snapshots, VAE decodes on demand.
import { describeError, StudioError } from '../../shared/errors';
import type { GetState, SetState, SliceContext, TeachingSlice } from './types';

export function createTeachingSlice(set: SetState, get: GetState, { services, jobs }: SliceContext): TeachingSlice {
  return {
    teachingMode: false,
    pausedBeforeStep: null,
    timeline: [],
    selectedStep: null,
    decoded: null,
    timelineRunId: null,
    setTeachingMode: (teachingMode) => set({ teachingMode }),
    pauseRun: () => jobs.generation?.pause(),
    resumeRun: () => jobs.generation?.resume(),
    stepRun: () => jobs.generation?.step(),
    selectStep: (index) => {
      const previous = get().decoded;
      if (previous) URL.revokeObjectURL(previous.url);
      set({ selectedStep: index, decoded: null });
    },
    decodeSelectedStep: async () => {
      const { selectedStep, timelineRunId } = get();
      if (selectedStep === null || timelineRunId === null) return;
      try {
        const png = await services.engine.decodeStep(timelineRunId, selectedStep);
        const url = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        set({ decoded: { index: selectedStep, url } });
      } catch (error) {
        set({ error: describeError(StudioError.from(error, 'vae')) });
      }
    },
  };
}
