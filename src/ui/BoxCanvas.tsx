// The image with object boxes over it: draw a box for the selected object, drag a box to move it,
// and see the regions MaskDiffusion used (per step) as tinted overlays.
import { useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { useStudio } from '../app/store';
import { objectColour, useUi } from '../app/uiState';
import type { Box } from '../shared/settings';

type Drag =
  | { kind: 'draw'; index: number; origin: [number, number] }
  | { kind: 'move'; index: number; origin: [number, number]; start: Box };

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function BoxCanvas({ size, children, shownMasks }: { size: number; children: ReactNode; shownMasks: (Box | null)[] | null }) {
  const md = useStudio((s) => s.settings.maskDiffusion);
  const update = useStudio((s) => s.updateMaskDiffusion);
  const drawing = useUi((s) => s.drawingObject);
  const setDrawing = useUi((s) => s.setDrawingObject);
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);

  const point = (e: PointerEvent): [number, number] => {
    const r = ref.current!.getBoundingClientRect();
    return [clamp01((e.clientX - r.left) / r.width), clamp01((e.clientY - r.top) / r.height)];
  };
  const setBox = (index: number, box: Box | null) => {
    const boxes = [...md.boxes];
    boxes[index] = box;
    update({ boxes });
  };

  const onDown = (e: PointerEvent) => {
    const [x, y] = point(e);
    const hit = md.boxes.findIndex((b) => b && x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1);
    if (drawing !== null) setDrag({ kind: 'draw', index: drawing, origin: [x, y] });
    else if (hit >= 0) setDrag({ kind: 'move', index: hit, origin: [x, y], start: md.boxes[hit]! });
    else return;
    ref.current!.setPointerCapture(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    if (!drag) return;
    const [x, y] = point(e);
    if (drag.kind === 'draw') {
      setBox(drag.index, {
        x0: Math.min(drag.origin[0], x),
        y0: Math.min(drag.origin[1], y),
        x1: Math.max(drag.origin[0], x),
        y1: Math.max(drag.origin[1], y),
      });
    } else {
      const { start } = drag;
      const dx = Math.min(Math.max(x - drag.origin[0], -start.x0), 1 - start.x1);
      const dy = Math.min(Math.max(y - drag.origin[1], -start.y0), 1 - start.y1);
      setBox(drag.index, { x0: start.x0 + dx, y0: start.y0 + dy, x1: start.x1 + dx, y1: start.y1 + dy });
    }
  };
  const onUp = () => {
    if (drag?.kind === 'draw') {
      const b = md.boxes[drag.index];
      // A click without a drag leaves no usable box.
      if (b && (b.x1 - b.x0 < 0.03 || b.y1 - b.y0 < 0.03)) setBox(drag.index, null);
      setDrawing(null);
    }
    setDrag(null);
  };

  const style = (b: Box, colour: string) => ({
    left: `${b.x0 * 100}%`,
    top: `${b.y0 * 100}%`,
    width: `${(b.x1 - b.x0) * 100}%`,
    height: `${(b.y1 - b.y0) * 100}%`,
    borderColor: colour,
  });

  return (
    <div
      ref={ref}
      className={`box-canvas ${drawing !== null ? 'drawing' : ''}`}
      data-testid="box-canvas"
      style={{ width: size, maxWidth: '100%', aspectRatio: '1' }}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
    >
      {children}
      {shownMasks?.map(
        (b, i) =>
          b && (
            <div
              key={`m${i}`}
              className="mask-overlay"
              data-testid={`mask-overlay-${i}`}
              style={{ ...style(b, objectColour(i)), background: `${objectColour(i)}66` }}
            />
          ),
      )}
      {md.enabled &&
        md.boxes.map(
          (b, i) =>
            b && (
              <div key={`b${i}`} className="user-box" data-testid={`user-box-${i}`} style={style(b, objectColour(i))}>
                <span>{i + 1}</span>
              </div>
            ),
        )}
    </div>
  );
}
