// One way the Atlas hands a file it made to the browser's downloads: the map's pictures and the
// Equal view's CSV.

/** Saves a file the page made (a Blob) under the name given. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click's task: the download has taken the Blob by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
