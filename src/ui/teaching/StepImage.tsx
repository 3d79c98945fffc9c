// One step's image at any size: its VAE decode when there is one, else the x0 preview (the linear latent map).
import type { StepView } from '../../shared/protocol';
import { RgbaCanvas } from './RgbaCanvas';

export function StepImage({ view, decodedUrl, size, testId }: { view: StepView; decodedUrl: string | null; size: number; testId: string }) {
  const caption = `Step ${view.index + 1}: ${decodedUrl ? 'x0 decoded with the VAE' : 'predicted x0 (preview)'}`;
  if (decodedUrl) {
    return (
      <figure className="step-image">
        <img src={decodedUrl} width={size} height={size} alt={caption} data-testid={testId} data-source="decode" className="pixelated" />
        <figcaption>{caption}</figcaption>
      </figure>
    );
  }
  return <RgbaCanvas rgba={view.x0} width={view.width} height={view.height} size={size} label={caption} testId={testId} />;
}
