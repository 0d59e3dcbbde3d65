import type { BlockChange } from "./diff";

/**
 * What changed in each section (a level-2 heading and what follows it, as in the diff's summary): the overview at
 * the top of the compare page, from which a reader jumps to the section's first change.
 */
export interface SectionChanges {
  /** The section's heading as it reads in the newer version; null for the part before the first section. */
  heading: string | null;
  /** The place (1-based) of the section's first change among the changes, unchanged blocks left out. */
  firstChange: number;
  edited: number;
  added: number;
  removed: number;
  moved: number;
}

/** The sections with any change, in the newer version's order. */
export function changesBySection(changes: readonly BlockChange[]): SectionChanges[] {
  const sections: SectionChanges[] = [];
  let heading: string | null = null;
  let current: SectionChanges | null = null;
  let number = 0;
  for (const change of changes) {
    // A removed heading no longer starts a section: its blocks now belong to the one before.
    if (change.kind !== "removed" && change.block.type === "heading" && change.block.level === 2) {
      heading = change.block.text;
      current = null;
    }
    if (change.kind === "unchanged") continue;
    number += 1;
    if (!current) {
      current = { heading, firstChange: number, edited: 0, added: 0, removed: 0, moved: 0 };
      sections.push(current);
    }
    if (change.kind === "changed") {
      current.edited += 1;
      if (change.moved) current.moved += 1;
    } else current[change.kind] += 1;
  }
  return sections;
}
