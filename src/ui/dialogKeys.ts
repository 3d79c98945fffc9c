// Keyboard handling shared by the studio's dialogs.

/** onKeyDown for a dialog: Esc closes it and goes no further (the page's own Esc would cancel a running generation). */
export function closeOnEscape(onClose: () => void) {
  return (e: { key: string; stopPropagation: () => void }) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
  };
}
