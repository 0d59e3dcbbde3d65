/** Address parameters that only choose what present mode shows of data the page has already loaded. */
const VIEW_PARAMS = ["section", "changes"];

/** The address without its view parameters: two addresses that differ only in those show the same data. */
export function withoutViewParams(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const name of VIEW_PARAMS) params.delete(name);
  return `${url.pathname}?${params.toString()}`;
}

/** The key presses that move between sections, to the index of the section they lead to. */
export function sectionForKey(key: string, index: number, count: number): number | null {
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
    case "PageDown":
      return Math.min(index + 1, count - 1);
    case "ArrowLeft":
    case "ArrowUp":
    case "PageUp":
      return Math.max(index - 1, 0);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
