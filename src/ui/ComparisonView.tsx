// A/B view of the same seed with MaskDiffusion off and on: side by side, and as a wipe.
import { useState } from 'react';
import { useStudio, type CurrentImage } from '../app/store';

export function ComparisonView({ off, on }: { off: CurrentImage; on: CurrentImage }) {
  const close = useStudio((s) => s.closeComparison);
  const [wipe, setWipe] = useState(50);
  return (
    <section className="comparison" data-testid="comparison" aria-label="MaskDiffusion A/B comparison">
      <header>
        <strong>A/B · seed {on.settings.seed}</strong>
        <button type="button" onClick={close} aria-label="Close comparison">×</button>
      </header>
      <div className="comparison-pair">
        <figure>
          <img data-testid="comparison-off" src={off.url} alt="MaskDiffusion off" className="pixelated" />
          <figcaption>A · MaskDiffusion off</figcaption>
        </figure>
        <figure>
          <img data-testid="comparison-on" src={on.url} alt="MaskDiffusion on" className="pixelated" />
          <figcaption>B · MaskDiffusion on</figcaption>
        </figure>
      </div>
      <div className="wipe" style={{ ['--wipe' as string]: `${wipe}%` }}>
        <img src={off.url} alt="" className="pixelated" />
        <img src={on.url} alt="" className="pixelated wipe-top" />
      </div>
      <label>
        Wipe A ↔ B <input type="range" min={0} max={100} value={wipe} data-testid="wipe" onChange={(e) => setWipe(Number(e.target.value))} />
      </label>
    </section>
  );
}
