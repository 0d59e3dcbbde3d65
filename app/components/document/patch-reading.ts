/**
 * Brings a reader's copy of the draft (the server's markup, kept outside React) up to date with markup the server
 * rendered afresh, block by block: only what differs is replaced, so a passage the reader selected or a link they
 * focused in an unchanged block stays, and the block at the top of the window stays where it is on the screen.
 *
 * The markup comes from our own server's React render of the draft (`readingView`, StaticDocument), which escapes
 * every text of the document: it never holds HTML a user wrote, which is what makes inserting it safe. Keep it so:
 * nothing else may be handed to this function.
 */
export function patchReadingView(island: HTMLElement, markup: string): void {
  const template = island.ownerDocument.createElement("template");
  template.innerHTML = markup;
  const place = topBlock(island);
  const current = island.firstElementChild;
  const next = template.content.firstElementChild;
  if (current && next && island.childElementCount === 1 && current.cloneNode(false).isEqualNode(next.cloneNode(false))) {
    patchChildren(current, next);
  } else {
    island.replaceChildren(template.content);
  }
  if (place) keepOnScreen(island, place);
}

/** A top-level block and the margin before it: replaced, kept or removed together. */
interface Segment {
  key: string;
  nodes: Node[];
}

function patchChildren(current: Element, next: Element): void {
  const old = new Map(segmentsOf(current).map((segment) => [segment.key, segment]));
  const wanted = segmentsOf(next).flatMap((segment) => {
    const kept = old.get(segment.key);
    return kept && sameNodes(kept.nodes, segment.nodes) ? kept.nodes : segment.nodes;
  });
  const keep = new Set(wanted);
  let cursor = current.firstChild;
  for (const node of wanted) {
    while (cursor && !keep.has(cursor)) {
      const stale = cursor;
      cursor = cursor.nextSibling;
      stale.remove();
    }
    if (node === cursor) cursor = cursor.nextSibling;
    else current.insertBefore(node, cursor);
  }
  while (cursor) {
    const stale = cursor;
    cursor = cursor.nextSibling;
    stale.remove();
  }
}

/**
 * The children of the draft's element as top-level blocks, each keyed by its block id (or the first one in it: lists
 * have none of their own), and blocks without any (a rule) by their place among those.
 */
function segmentsOf(parent: Element): Segment[] {
  const segments: Segment[] = [];
  let pending: Node[] = [];
  let unnamed = 0;
  for (const node of parent.childNodes) {
    pending.push(node);
    if (!(node instanceof Element) || node.matches(".block-margin")) continue;
    const id = node.getAttribute("data-block-id") ?? node.querySelector("[data-block-id]")?.getAttribute("data-block-id");
    segments.push({ key: id ? `id:${id}` : `${node.tagName}:${unnamed++}`, nodes: pending });
    pending = [];
  }
  if (pending.length > 0) segments.push({ key: `end:${unnamed}`, nodes: pending });
  return segments;
}

function sameNodes(a: Node[], b: Node[]): boolean {
  return a.length === b.length && a.every((node, index) => {
    const other = b[index];
    return other !== undefined && node.isEqualNode(other);
  });
}

const BLOCK = "[data-block-id]";

/** The innermost block at the top of the window and where its top is, to keep it there. */
function topBlock(island: HTMLElement): { id: string; top: number } | null {
  for (const block of island.querySelectorAll<HTMLElement>(BLOCK)) {
    if (block.querySelector(BLOCK)) continue;
    const { top, bottom } = block.getBoundingClientRect();
    const id = block.getAttribute("data-block-id");
    if (bottom > 0 && id) return { id, top };
  }
  return null;
}

function keepOnScreen(island: HTMLElement, place: { id: string; top: number }): void {
  const block = island.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(place.id)}"]`);
  if (!block) return;
  const moved = block.getBoundingClientRect().top - place.top;
  if (moved !== 0) window.scrollBy({ top: moved, behavior: "instant" });
}
