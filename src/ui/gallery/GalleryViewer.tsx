// The gallery's large viewer: one image with its full settings; ← / → step through the shown images, Esc closes.
import { useEffect, useRef } from 'react';
import { useStudio } from '../../app/store';
import { SAMPLER_LABELS } from '../../shared/settings';
import type { GalleryEntry } from '../../storage/gallery';
import { galleryFileName } from '../../storage/galleryZip';

function settingsRows(e: GalleryEntry): [string, string][] {
  const s = e.settings;
  const rows: [string, string][] = [
    ['Prompt', s.prompt],
    ['Negative prompt', s.negativePrompt || '(none)'],
    ['Seed', String(s.seed)],
    ['Steps', String(s.steps)],
    ['Sampler', SAMPLER_LABELS[s.sampler]],
    ['Guidance', String(s.guidance)],
    ['Size', `${e.width}×${e.height}`],
    ['Model', e.modelName],
    ['Backend', e.backend === 'webgpu' ? 'WebGPU' : 'WASM'],
    ['Made', new Date(e.createdAt).toLocaleString()],
  ];
  if (s.emphasis) rows.push(['Emphasis', `${s.emphasis.mode}, ${s.emphasis.syntax} syntax`]);
  if (s.maskDiffusion?.enabled) rows.push(['MaskDiffusion', `strength ${s.maskDiffusion.strength}, ${s.maskDiffusion.variant}`]);
  return rows;
}

interface ViewerProps {
  entries: readonly GalleryEntry[];
  index: number;
  urls: ReadonlyMap<string, string>;
  onIndex: (index: number | null) => void;
}

export function GalleryViewer({ entries, index, urls, onIndex }: ViewerProps) {
  const reuse = useStudio((s) => s.updateSettings);
  const remove = useStudio((s) => s.deleteGalleryEntry);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => dialog.current?.focus(), []);
  const entry = entries[index];
  if (!entry) return null;
  const go = (delta: number) => onIndex((index + delta + entries.length) % entries.length);

  const keyAction = (key: string): (() => void) | undefined => {
    switch (key) {
      case 'ArrowLeft':
        return () => go(-1);
      case 'ArrowRight':
        return () => go(1);
      case 'Escape':
        return () => onIndex(null);
      default:
        return undefined;
    }
  };

  return (
    <div
      className="gallery-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={`Image ${index + 1} of ${entries.length}`}
      data-testid="gallery-viewer"
      tabIndex={-1}
      ref={dialog}
      onKeyDown={(e) => {
        const action = keyAction(e.key);
        if (!action) return;
        e.preventDefault();
        e.stopPropagation(); // Esc here closes the viewer; it must not also cancel a running generation
        action();
      }}
    >
      <div className="gallery-viewer-image">
        <img src={urls.get(entry.id)} alt={entry.settings.prompt} className="pixelated" data-testid="gallery-viewer-image" />
      </div>
      <aside>
        <header>
          <span data-testid="gallery-viewer-position">
            {index + 1} / {entries.length}
          </span>
          <button type="button" aria-label="Previous image" onClick={() => go(-1)}>
            ←
          </button>
          <button type="button" aria-label="Next image" onClick={() => go(1)}>
            →
          </button>
          <button type="button" aria-label="Close the viewer" data-testid="gallery-viewer-close" onClick={() => onIndex(null)}>
            ×
          </button>
        </header>
        <dl className="gallery-viewer-settings" data-testid="gallery-viewer-settings">
          {settingsRows(entry).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <div className="gallery-actions">
          <button
            type="button"
            onClick={() => {
              reuse(entry.settings);
              onIndex(null);
            }}
          >
            Use these settings
          </button>
          <a href={urls.get(entry.id)} download={galleryFileName(entry)}>
            Download PNG
          </a>
          <button
            type="button"
            onClick={() => {
              void remove(entry.id);
              onIndex(entries.length > 1 ? Math.min(index, entries.length - 2) : null);
            }}
          >
            Delete
          </button>
        </div>
      </aside>
    </div>
  );
}
