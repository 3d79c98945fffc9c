// Same-seed comparison (MaskDiffusion off/on, or before/after an emphasis change): side by side, and as a wipe.
import { useState } from 'react';
import { useStudio } from '../app/store';
import type { Comparison } from '../app/slices/types';

export function ComparisonView({ comparison }: { comparison: Comparison }) {
  const { a: off, b: on, labelA, labelB } = comparison;
  const close = useStudio((s) => s.closeComparison);
  const [wipe, setWipe] = useState(50);
  return (
    <section className="comparison" data-testid="comparison" aria-label="Same-seed comparison">
      <header>
        <strong>A/B · seed {on.settings.seed}</strong>
        <button type="button" onClick={close} aria-label="Close comparison">
          ×
        </button>
      </header>
      <div className="comparison-pair">
        <figure>
          <img data-testid="comparison-off" src={off.url} alt={labelA} className="pixelated" />
          <figcaption data-testid="comparison-label-a">{labelA}</figcaption>
        </figure>
        <figure>
          <img data-testid="comparison-on" src={on.url} alt={labelB} className="pixelated" />
          <figcaption data-testid="comparison-label-b">{labelB}</figcaption>
        </figure>
      </div>
      <div className="wipe" style={{ ['--wipe' as string]: `${wipe}%` }}>
        <img src={off.url} alt="" className="pixelated" />
        <img src={on.url} alt="" className="pixelated wipe-top" />
      </div>
      <label>
        Wipe A ↔ B{' '}
        <input type="range" min={0} max={100} value={wipe} data-testid="wipe" onChange={(e) => setWipe(Number(e.target.value))} />
      </label>
    </section>
  );
}
