// Draws a small RGBA image (latent resolution) into a canvas, shown pixelated at a larger size.
import { useEffect, useRef } from 'react';

export function RgbaCanvas({
  rgba,
  width,
  height,
  size,
  label,
  testId,
}: {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  size: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    ref.current?.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  }, [rgba, width, height]);
  return (
    <figure className="step-image">
      <canvas
        ref={ref}
        width={width}
        height={height}
        style={{ width: size, height: size }}
        className="pixelated"
        data-testid={testId}
        aria-label={label}
      />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
