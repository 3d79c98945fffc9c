// Labels the loaded model for what it is (the built-in one has random weights) and shows load progress.
import { useStudio } from '../app/store';
import { ProgressBar } from './ProgressBar';

export function ModelNotice() {
  const model = useStudio((s) => s.model);
  const status = useStudio((s) => s.engineStatus);
  const load = useStudio((s) => s.loadProgress);
  if (status === 'loading') {
    return (
      <div className="notice" data-testid="model-loading">
        Loading model{load ? `: ${load.label}` : '…'}
        <ProgressBar value={load ? load.loaded / load.total : 0} label="Model loading" />
      </div>
    );
  }
  if (!model) return null;
  return (
    <div
      className={`notice ${model.randomWeights ? 'notice-warning' : ''}`}
      data-testid="model-notice"
      data-graphs-in-ort-heap={model.loaded?.graphsInOrtHeap}
    >
      <strong>{model.name}</strong> ({model.variant}, {model.width}×{model.height}). {model.description}
      {model.loaded && ` Loaded in ${(model.loaded.ms / 1000).toFixed(1)} s.`}
    </div>
  );
}
