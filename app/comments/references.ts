/**
 * Legal-style references for the blocks of a draft ("3.2 ¶2"), derived from its headings, so people in a
 * meeting can say which paragraph they mean. The same rule runs on the server (stored content) and in the
 * browser (the live editor), so a reference never differs between the two.
 */

/** A commentable block in document order; headingLevel is null for anything but a heading. */
export interface OutlineEntry {
  id: string;
  headingLevel: number | null;
}

/**
 * `section` is the dotted number of the enclosing heading ("3.2"), `paragraph` the block's place after it
 * (1-based). A heading has no paragraph number; the title (a level-1 heading) has neither.
 */
export interface BlockReference {
  section: string | null;
  paragraph: number | null;
}

/** Level-1 headings are titles; level 2 numbers sections ("3"), level 3 subsections ("3.2"), and so on. */
export function blockReferences(entries: Iterable<OutlineEntry>): Map<string, BlockReference> {
  const references = new Map<string, BlockReference>();
  const counters: number[] = [];
  let paragraph = 0;
  for (const entry of entries) {
    if (entry.headingLevel !== null) {
      paragraph = 0;
      const depth = entry.headingLevel - 1;
      if (depth === 0) {
        counters.length = 0;
        references.set(entry.id, { section: null, paragraph: null });
        continue;
      }
      counters.length = depth;
      for (let level = 0; level < depth; level++) counters[level] ??= 0;
      counters[depth - 1] = (counters[depth - 1] ?? 0) + 1;
      references.set(entry.id, { section: counters.map((count) => count || 1).join("."), paragraph: null });
      continue;
    }
    paragraph += 1;
    references.set(entry.id, { section: counters.length > 0 ? counters.map((count) => count || 1).join(".") : null, paragraph });
  }
  return references;
}

/** "3.2 ¶2", "3.2", "¶4"; `titleLabel` for the title. */
export function formatReference(reference: BlockReference, titleLabel: string): string {
  const { section, paragraph } = reference;
  if (paragraph === null) return section ?? titleLabel;
  return section === null ? `¶${paragraph}` : `${section} ¶${paragraph}`;
}
