// Draws the selected word's normalised attention map over the image (bilinear upscaling by the canvas).
import { useEffect, useMemo, useRef } from 'react';
import { useStudio } from '../../app/store';
import { useUi } from '../../app/uiState';
import { heatColour, wordHeatmap } from '../../core/heatmaps/wordHeatmap';

export function HeatmapOverlay() {
  const attention = useStudio((s) => s.current?.attention ?? null);
  const word = useUi((s) => s.heatmapWord);
  const step = useUi((s) => s.heatmapStep);
  const opacity = useUi((s) => s.heatmapOpacity);
  const ref = useRef<HTMLCanvasElement>(null);
  const map = useMemo(() => {
    if (!attention || word === null || !attention.words[word]) return null;
    return wordHeatmap(attention, attention.words[word].tokens, step === null ? null : [step]);
  }, [attention, word, step]);

  useEffect(() => {
    if (!map || !attention || !ref.current) return;
    const image = new ImageData(attention.width, attention.height);
    map.forEach((v, p) => image.data.set(heatColour(v, 255), p * 4));
    ref.current.getContext('2d')!.putImageData(image, 0, 0);
  }, [map, attention]);

  if (!map || !attention) return null;
  const max = Math.max(...map);
  return (
    <canvas
      ref={ref}
      className="heatmap-overlay"
      data-testid="heatmap-overlay"
      data-max={max.toFixed(4)}
      data-min={Math.min(...map).toFixed(4)}
      width={attention.width}
      height={attention.height}
      style={{ opacity }}
    />
  );
}
