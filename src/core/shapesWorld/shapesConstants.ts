// Numbers that define how the shapes checker reads an image and answers, in one place.

export const SEGMENTATION = {
  /**
   * A pixel belongs to a palette colour when it is explained as that colour mixed into the
   * background with at least this much coverage; anti-aliased edges then count half-and-half.
   */
  minCoverage: 0.5,
  /** Farthest (RGB distance) a pixel may lie from every colour/background mix and still be labelled. */
  maxResidual: 70,
  /** Components smaller than this (pixels on the 128-pixel canvas) are specks, not shapes. */
  minArea: 40,
  /** Most detections a query considers (largest first), which bounds the assignment search. */
  maxDetections: 10,
} as const;

export const SHAPE_CLASSIFIER = {
  /** Feature-space distance (in units of `featureScale`) at which a blob counts as no known shape. */
  rejectDistance: 3,
  /** Typical spread of one geometric feature between renders and fair reproductions of a shape. */
  featureScale: 0.07,
  /** Prototype renders per shape: extents (pixels), each also blurred this many radius-1 box passes. */
  prototypeExtents: [26, 38, 53],
  prototypeBlurPasses: [0, 2, 4],
  /** Rows (fractions of the blob's height) where the width profile is measured, +- half a band. */
  spanRows: [0.2, 0.5, 0.8],
  spanBand: 0.1,
} as const;

export const PLACEMENT = {
  /** "On the left": the centre lies left of the middle by more than this (fraction of the width). */
  positionMargin: 0.1,
  /** "In the centre": the centre lies within this of the middle on both axes. */
  centreRadius: 0.15,
  /** "A above B": A's centre lies higher than B's by more than this (fraction of the height). */
  relationMargin: 0.06,
} as const;

export const ANSWERS = {
  /** A programmatic answer is still a measurement of a drawing: never fully certain either way. */
  minP: 0.01,
  maxP: 0.99,
} as const;
