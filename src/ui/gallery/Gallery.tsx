// The persisted gallery: filter by prompt words and model, open a large viewer, select several to download
// as a zip or delete, and see how much space it takes.
import { useMemo, useState } from 'react';
import { useStudio } from '../../app/store';
import { downloadBlob } from '../downloadBlob';
import { zipGalleryEntries } from '../../storage/galleryZip';
import { formatBytes } from '../../storage/storageQuota';
import { filterGallery, galleryBytes, galleryModels, type GalleryFilter } from './galleryFilter';
import { GalleryViewer } from './GalleryViewer';
import { useEntryUrls } from './useEntryUrls';
import './gallery.css';

export function Gallery() {
  const entries = useStudio((s) => s.gallery);
  const reuse = useStudio((s) => s.updateSettings);
  const remove = useStudio((s) => s.deleteGalleryEntry);
  const removeMany = useStudio((s) => s.deleteGalleryEntries);
  const [filter, setFilter] = useState<GalleryFilter>({ text: '', model: '' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [viewing, setViewing] = useState<number | null>(null);
  const urls = useEntryUrls(entries);
  const shown = useMemo(() => filterGallery(entries, filter), [entries, filter]);
  const models = useMemo(() => galleryModels(entries), [entries]);
  if (entries.length === 0) return null;

  const chosen = entries.filter((e) => selected.has(e.id));
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const deleteChosen = async () => {
    if (!window.confirm(`Delete ${chosen.length} image${chosen.length === 1 ? '' : 's'} from the gallery? This cannot be undone.`)) return;
    await removeMany(chosen.map((e) => e.id));
    setSelected(new Set());
  };

  return (
    <section className="gallery" aria-label="Gallery">
      <header className="gallery-toolbar">
        <h2 data-testid="gallery-count">
          Gallery: {entries.length} image{entries.length === 1 ? '' : 's'}, {formatBytes(galleryBytes(entries))}
        </h2>
        <input
          type="search"
          placeholder="Filter by prompt"
          aria-label="Filter the gallery by prompt words"
          data-testid="gallery-filter"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        {models.length > 1 && (
          <select
            aria-label="Filter the gallery by model"
            data-testid="gallery-model"
            value={filter.model}
            onChange={(e) => setFilter({ ...filter, model: e.target.value })}
          >
            <option value="">All models</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={() => setSelected(new Set(shown.map((e) => e.id)))}>
          Select shown
        </button>
        {chosen.length > 0 && (
          <>
            <span data-testid="gallery-selected">{chosen.length} selected</span>
            <button
              type="button"
              data-testid="gallery-zip"
              onClick={() => void zipGalleryEntries(chosen).then((zip) => downloadBlob(zip, `studio-gallery-${chosen.length}.zip`))}
            >
              Download zip
            </button>
            <button type="button" data-testid="gallery-delete-selected" onClick={() => void deleteChosen()}>
              Delete selected
            </button>
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </>
        )}
      </header>
      {shown.length < entries.length && (
        <p className="hint" data-testid="gallery-shown">
          {shown.length} of {entries.length} shown
        </p>
      )}
      <ul data-testid="gallery">
        {shown.map((e, i) => (
          <li key={e.id} data-testid="gallery-item" className={selected.has(e.id) ? 'selected' : undefined}>
            <button
              type="button"
              className="gallery-thumb"
              aria-label={`View: ${e.settings.prompt}, seed ${e.settings.seed}`}
              onClick={() => setViewing(i)}
            >
              <img
                src={urls.get(e.id)}
                alt={e.settings.prompt}
                title={`${e.settings.prompt}\nseed ${e.settings.seed} · ${e.backend}`}
                className="pixelated"
                loading="lazy"
                decoding="async"
              />
            </button>
            <div className="gallery-actions">
              <label className="gallery-select">
                <input
                  type="checkbox"
                  checked={selected.has(e.id)}
                  onChange={() => toggle(e.id)}
                  aria-label={`Select seed ${e.settings.seed}`}
                />
              </label>
              <button type="button" onClick={() => reuse(e.settings)} title="Use these settings">
                Reuse
              </button>
              <a href={urls.get(e.id)} download={`studio-${e.settings.seed}.png`}>
                PNG
              </a>
              <button type="button" onClick={() => void remove(e.id)} aria-label="Delete image">
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {viewing !== null && <GalleryViewer entries={shown} index={viewing} urls={urls} onIndex={setViewing} />}
    </section>
  );
}
