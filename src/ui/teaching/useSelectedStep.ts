// The step the teaching views show: the one picked on the timeline, and the step the schedule plot marks.
import { useStudio } from '../../app/store';

export function useSelectedStep() {
  const timeline = useStudio((s) => s.timeline);
  const selected = useStudio((s) => s.selectedStep);
  const progress = useStudio((s) => s.progress);
  const decoded = useStudio((s) => s.decoded);
  const view = selected !== null ? timeline.find((v) => v.index === selected) : undefined;
  const marked = view?.index ?? (progress?.phase === 'denoise' ? Math.max(0, progress.step - 1) : null);
  return { timeline, view, marked, decoded: view && decoded?.index === view.index ? decoded : null };
}
