// Heatmap controls under the image: which word, the whole run or one step, and the overlay's opacity.
import { useStudio } from '../../app/store';
import { useUi } from '../../app/uiState';

export function HeatmapControls() {
  const attention = useStudio((s) => s.current?.attention ?? null);
  const word = useUi((s) => s.heatmapWord);
  const step = useUi((s) => s.heatmapStep);
  const opacity = useUi((s) => s.heatmapOpacity);
  const set = useUi((s) => s.setHeatmap);
  if (!attention) return null;
  return (
    <div className="heatmap-controls" data-testid="heatmap-controls">
      <label>
        Heatmap word
        <select
          data-testid="heatmap-word"
          value={word ?? ''}
          onChange={(e) => set({ heatmapWord: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">(none)</option>
          {attention.words.map((w, i) => (
            <option key={i} value={i}>
              {w.text}
            </option>
          ))}
        </select>
      </label>
      <label>
        Steps
        <select
          data-testid="heatmap-step"
          value={step ?? ''}
          onChange={(e) => set({ heatmapStep: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">whole run</option>
          {attention.perStep.map((_, i) => (
            <option key={i} value={i}>
              step {i + 1}
            </option>
          ))}
        </select>
      </label>
      <label>
        Opacity{' '}
        <input
          type="range"
          data-testid="heatmap-opacity"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          onChange={(e) => set({ heatmapOpacity: Number(e.target.value) })}
        />
      </label>
    </div>
  );
}
