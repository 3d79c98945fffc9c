// Finds the shapes in an image: palette blobs with their colour, class probabilities, centre and size.
import type { CheckerImage } from '../../checker/checkerTypes';
import { findBlobs } from './segmentImage';
import { blobFeatures, classifyShape, type ShapeFeatures } from './shapeFeatures';
import { SEGMENTATION } from './shapesConstants';
import { sizeOfExtent, WORLD, type SizeName } from './world';

export interface ShapeDetection {
  colour: string;
  /** The likeliest shape, or null when the blob is like none of them. */
  shape: string | null;
  shapeProbs: Record<string, number>;
  /** Centroid, as fractions of the image width and height. */
  cx: number;
  cy: number;
  /** Bounding-box side in canvas pixels (the world's 128-pixel scale). */
  extent: number;
  size: SizeName;
  area: number;
  features: ShapeFeatures;
}

export function detectShapes(image: CheckerImage): ShapeDetection[] {
  const scale = WORLD.canvas / image.width;
  return findBlobs(image)
    .slice(0, SEGMENTATION.maxDetections)
    .map((blob) => {
      let sx = 0;
      let sy = 0;
      for (const i of blob.pixels) {
        const x = i % image.width;
        sx += x + 0.5;
        sy += (i - x) / image.width + 0.5;
      }
      const features = blobFeatures(blob, image.width);
      const shapeProbs = classifyShape(features);
      const [best, p] = Object.entries(shapeProbs).sort((a, b) => b[1] - a[1])[0];
      const extent = Math.max(blob.x1 - blob.x0, blob.y1 - blob.y0) * scale;
      return {
        colour: blob.colour,
        shape: p >= 0.5 ? best : null,
        shapeProbs,
        cx: sx / blob.pixels.length / image.width,
        cy: sy / blob.pixels.length / image.height,
        extent,
        size: sizeOfExtent(extent),
        area: blob.pixels.length,
        features,
      };
    });
}

export function describeDetection(d: ShapeDetection): string {
  const what = d.shape ? `${d.colour} ${d.shape}` : `${d.colour} blob (no known shape)`;
  return `${what} at (${d.cx.toFixed(2)}, ${d.cy.toFixed(2)}), ${Math.round(d.extent)} px`;
}
