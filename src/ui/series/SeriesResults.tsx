// A finished (or cancelled) batch as a grid of images, or an X/Y grid with its labels and one-PNG download.
import { useState } from 'react';
import { useStudio } from '../../app/store';
import { downloadBlob } from '../downloadBlob';
import { gridPng } from './gridPng';

export function SeriesResults() {
  const series = useStudio((s) => s.series);
  const modelName = useStudio((s) => s.model?.name ?? 'unknown');
  const close = useStudio((s) => s.closeSeries);
  const [saveError, setSaveError] = useState<string | null>(null);
  if (!series) return null;
  const columns = Math.max(...series.cells.map((c) => c.x)) + 1;
  const made = series.images.filter(Boolean).length;
  const labels = series.labels;

  return (
    <section className="series-results" aria-label={series.kind === 'batch' ? 'Batch results' : 'X/Y grid'} data-testid="series-results">
      <header>
        <h2>
          {series.kind === 'batch' ? 'Batch' : 'X/Y grid'}: {made} of {series.cells.length} images{series.cancelled ? ' (cancelled)' : ''}
        </h2>
        {series.kind === 'grid' && series.finished && made > 0 && (
          <button
            type="button"
            data-testid="download-grid"
            onClick={() =>
              gridPng(series, modelName).then(
                (png) => downloadBlob(png, 'studio-xy-grid.png'),
                (e: Error) => setSaveError(e.message),
              )
            }
          >
            Download grid PNG
          </button>
        )}
        {series.finished && (
          <button type="button" aria-label="Close the results" onClick={close}>
            ×
          </button>
        )}
      </header>
      {saveError && (
        <p className="install-error" role="alert">
          {saveError}
        </p>
      )}
      <div
        className="series-grid"
        style={{ gridTemplateColumns: `${labels?.rows.some(Boolean) ? 'auto ' : ''}repeat(${columns}, minmax(0, 1fr))` }}
      >
        {labels?.rows.some(Boolean) && <span />}
        {labels?.columns.map((l) => (
          <span key={l} className="series-label">
            {l}
          </span>
        ))}
        {series.cells.map((cell, i) => {
          const image = series.images[i];
          return [
            labels?.rows.some(Boolean) && cell.x === 0 ? (
              <span key={`row-${cell.y}`} className="series-label">
                {labels.rows[cell.y]}
              </span>
            ) : null,
            <figure key={i} className="series-cell" data-testid="series-cell" data-seed={cell.settings.seed}>
              {image ? (
                <img src={image.url} alt={`${cell.settings.prompt}, seed ${cell.settings.seed}`} className="pixelated" />
              ) : (
                <div className="series-pending">{series.finished ? 'not made' : '…'}</div>
              )}
              {image && (
                <figcaption>
                  {series.kind === 'batch' && `seed ${cell.settings.seed} · `}
                  <a href={image.url} download={`studio-${cell.settings.seed}.png`} data-testid="series-cell-png">
                    PNG
                  </a>
                </figcaption>
              )}
            </figure>,
          ];
        })}
      </div>
    </section>
  );
}
