import type { ContentNode } from "#app/editor/content";

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

/** One screen of present mode: a heading and what follows it up to the next heading of its level. */
export interface Section {
  /** The id of its first block (its heading): what the presenter's position names. */
  id: string;
  /** The heading's text; null for an opening part without a heading of its own. */
  title: string | null;
  content: ContentNode;
}

/** What present mode shows: the same for hosts and followers, plus the host's tools for a host. */
export interface PresentPageData {
  document: { slug: string; title: string; language: string };
  /** A participant following the presenter, not the host. */
  following: boolean;
  sections: Section[];
  /** Open threads per block id. */
  openThreadCounts: Record<string, number>;
  /** The version presented at the last workshop, and the blocks changed since. */
  changesSince: { number: number; name: string; workshopTitle: string; changedBlockIds: string[] } | null;
  presenterSectionId: string | null;
  nextVersionName: string;
  host: HostTools | null;
}

export interface HostTools {
  draftUrl: string;
  qrCode: { size: number; path: string };
  /** The version just frozen here, to link to. */
  frozenNumber: number | null;
  workshops: { id: string; title: string; startsAt: string }[];
  preselectedWorkshopId: string | null;
}
