// Saves a Blob as a file the way a download link does (the browser's download bar, the user's folder).

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has its own reference by now; a minute leaves room for a slow disk prompt.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
