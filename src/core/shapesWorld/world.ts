// The shapes world's spec (shapesWorld.json, shared with models/shapes) with TypeScript types.
import worldJson from './shapesWorld.json';

export type ShapeSpec =
  | { kind: 'disc'; inner: number }
  | { kind: 'heart'; xScale: number; yScale: number; yOffset: number }
  | { kind: 'polygon'; points: [number, number][] };

export interface ShapesWorld {
  canvas: number;
  background: [number, number, number];
  supersample: number;
  palette: Record<string, [number, number, number]>;
  shapes: Record<string, ShapeSpec>;
  sizes: Record<'small' | 'medium' | 'big', { extent: [number, number]; words: string[] }>;
  sizeThresholds: { smallBelow: number; bigAbove: number };
  positions: Record<PositionName, { cx?: [number, number]; cy?: [number, number]; phrases: string[] }>;
  relations: Record<RelationName, { axis: 'x' | 'y'; firstSmaller: boolean; phrases: string[] }>;
  layout: { edgeMargin: number; gap: number; relationMaxOffAxis: number };
}

export type PositionName = 'left' | 'right' | 'top' | 'bottom' | 'centre';
export type RelationName = 'above' | 'below' | 'leftOf' | 'rightOf';
export type SizeName = 'small' | 'medium' | 'big';

export const WORLD = worldJson as unknown as ShapesWorld;
export const SHAPE_NAMES = Object.keys(WORLD.shapes);
export const COLOUR_NAMES = Object.keys(WORLD.palette);
export const POSITION_NAMES = Object.keys(WORLD.positions) as PositionName[];
export const RELATION_NAMES = Object.keys(WORLD.relations) as RelationName[];

/** One shape in a scene, in canvas pixels (centre on the half-pixel grid, extent = bounding-box side). */
export interface SceneObject {
  shape: string;
  colour: string;
  cx: number;
  cy: number;
  extent: number;
}

export interface Scene {
  objects: SceneObject[];
  caption?: string;
}

/** The size class of a measured extent (canvas pixels), by the thresholds between the classes. */
export function sizeOfExtent(extent: number): SizeName {
  if (extent < WORLD.sizeThresholds.smallBelow) return 'small';
  if (extent > WORLD.sizeThresholds.bigAbove) return 'big';
  return 'medium';
}
