// Object URLs for gallery images, one per entry for as long as the entry stays: a new image, a filter or a delete
// must not revoke and recreate every URL (each thumbnail would be fetched and decoded again; with hundreds of
// 512 px images that is a visible stall after every generation).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { GalleryEntry } from '../../storage/gallery';

export function useEntryUrls(entries: readonly GalleryEntry[]): ReadonlyMap<string, string> {
  const [urls, setUrls] = useState<ReadonlyMap<string, string>>(() => new Map());
  const live = useRef(new Map<string, string>());
  // A layout effect: the new URLs are in place before the browser paints the new list.
  useLayoutEffect(() => {
    const next = new Map<string, string>();
    for (const entry of entries) next.set(entry.id, live.current.get(entry.id) ?? URL.createObjectURL(entry.png));
    for (const [id, url] of live.current) if (!next.has(id)) URL.revokeObjectURL(url);
    live.current = next;
    setUrls(next);
  }, [entries]);
  useEffect(
    () => () => {
      for (const url of live.current.values()) URL.revokeObjectURL(url);
      live.current = new Map();
    },
    [],
  );
  return urls;
}
