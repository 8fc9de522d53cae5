/** Saving a file the page made: a Blob offered through a temporary link. */

/** Offers `data` for download as `name`. */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The browser has read the URL once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
