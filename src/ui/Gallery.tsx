// The persisted gallery: thumbnails of past generations; click to restore settings, download or delete.
import { useEffect, useMemo } from 'react';
import { useStudio } from '../app/store';

export function Gallery() {
  const entries = useStudio((s) => s.gallery);
  const update = useStudio((s) => s.updateSettings);
  const remove = useStudio((s) => s.deleteGalleryEntry);
  const urls = useMemo(() => new Map(entries.map((e) => [e.id, URL.createObjectURL(e.png)])), [entries]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);
  if (entries.length === 0) return null;
  return (
    <section className="gallery" aria-label="Gallery">
      <h2>Gallery ({entries.length})</h2>
      <ul data-testid="gallery">
        {entries.map((e) => (
          <li key={e.id} data-testid="gallery-item">
            <img src={urls.get(e.id)} alt={e.settings.prompt} title={`${e.settings.prompt}\nseed ${e.settings.seed} · ${e.backend}`} className="pixelated" />
            <div className="gallery-actions">
              <button type="button" onClick={() => update(e.settings)} title="Use these settings">Reuse</button>
              <a href={urls.get(e.id)} download={`studio-${e.settings.seed}.png`}>PNG</a>
              <button type="button" onClick={() => void remove(e.id)} aria-label="Delete image">Delete</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
