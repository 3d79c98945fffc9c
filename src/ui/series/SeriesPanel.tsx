// Batch count and the X/Y grid: the settings of every image planned here, run by the series slice.
import { useState } from 'react';
import {
  AXIS_KINDS,
  axisLabel,
  axisValues,
  BATCH_LIMITS,
  batchCells,
  gridCells,
  gridDescription,
  SeriesPlanError,
  type AxisKind,
  type GridAxis,
} from '../../app/series/seriesPlan';
import { useStudio } from '../../app/store';
import { SeriesProgress } from './SeriesProgress';
import './series.css';

function AxisFields({
  name,
  axis,
  onChange,
  optional,
}: {
  name: 'X' | 'Y';
  axis: GridAxis | null;
  onChange: (a: GridAxis | null) => void;
  optional?: boolean;
}) {
  return (
    <div className="row">
      <label>
        {name} type
        <select
          data-testid={`grid-${name.toLowerCase()}-kind`}
          value={axis?.kind ?? ''}
          onChange={(e) =>
            onChange(e.target.value ? { kind: e.target.value as AxisKind, values: axis?.values ?? '', word: axis?.word } : null)
          }
        >
          {optional && <option value="">(none)</option>}
          {Object.entries(AXIS_KINDS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {axis?.kind === 'weight' && (
        <label>
          Word
          <input
            data-testid={`grid-${name.toLowerCase()}-word`}
            value={axis.word ?? ''}
            onChange={(e) => onChange({ ...axis, word: e.target.value })}
          />
        </label>
      )}
      {axis && (
        <label>
          {name} values
          <input
            data-testid={`grid-${name.toLowerCase()}-values`}
            value={axis.values}
            placeholder={axis.kind === 'sampler' ? 'euler, ddim' : '1, 2, 3'}
            onChange={(e) => onChange({ ...axis, values: e.target.value })}
          />
        </label>
      )}
    </div>
  );
}

export function SeriesPanel() {
  const ready = useStudio((s) => s.engineStatus === 'ready' && !s.running);
  const runSeries = useStudio((s) => s.runSeries);
  const [count, setCount] = useState(4);
  const [x, setX] = useState<GridAxis | null>({ kind: 'seed', values: '' });
  const [y, setY] = useState<GridAxis | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const plan = (make: () => void) => {
    try {
      setProblem(null);
      make();
    } catch (error) {
      if (!(error instanceof SeriesPlanError)) throw error;
      setProblem(error.message);
    }
  };
  // The settings are read when a run starts: subscribing to them would redraw this panel on every keystroke in the prompt.
  const runBatch = () => plan(() => void runSeries({ kind: 'batch', cells: batchCells(useStudio.getState().settings, count) }));
  const runGrid = () =>
    plan(() => {
      if (!x) return;
      const cells = gridCells(useStudio.getState().settings, x, y);
      const labels = { columns: axisValues(x).map((v) => axisLabel(x, v)), rows: y ? axisValues(y).map((v) => axisLabel(y, v)) : [''] };
      void runSeries({ kind: 'grid', cells, labels, description: gridDescription(x, y) });
    });

  return (
    <section className="series-panel" aria-label="Batches and grids">
      <div className="row">
        <label>
          Batch count
          <input
            type="number"
            data-testid="batch-count"
            min={BATCH_LIMITS.min}
            max={BATCH_LIMITS.max}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </label>
        <button
          type="button"
          data-testid="generate-batch"
          disabled={!ready}
          onClick={runBatch}
          title="Consecutive seeds from the form's seed"
        >
          Generate batch
        </button>
      </div>
      <details data-testid="xy-grid">
        <summary>X/Y grid</summary>
        <AxisFields name="X" axis={x} onChange={setX} />
        <AxisFields name="Y" axis={y} onChange={setY} optional />
        <button type="button" data-testid="generate-grid" disabled={!ready || !x} onClick={runGrid}>
          Generate grid
        </button>
      </details>
      {problem && (
        <p className="install-error" role="alert" data-testid="series-problem">
          {problem}
        </p>
      )}
      <SeriesProgress />
    </section>
  );
}
