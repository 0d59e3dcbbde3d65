import { z } from "zod";
import type { DocumentIndex } from "#app/comments/anchoring";
import { offsetSchema } from "./comments/fields.server";

/** A passage of a block a reader asked to comment on, as the composer quotes it. */
export interface ComposePassage {
  from: number;
  to: number;
  exact: string;
}

const rangeSchema = z.object({ from: offsetSchema, to: offsetSchema }).refine(({ from, to }) => from < to);

/**
 * The passage `?from=<n>&to=<n>` names in the block `blockId` (offsets in its text, as the browser counts them), if
 * the block still has that many characters; else null, and the composer is for the whole paragraph. The quote is
 * the block's own text, never text from the address.
 */
export function composePassage(index: DocumentIndex, blockId: string, params: URLSearchParams): ComposePassage | null {
  const range = rangeSchema.safeParse({ from: params.get("from") ?? undefined, to: params.get("to") ?? undefined });
  const block = index.block(blockId);
  if (!range.success || !block || range.data.to > block.text.length) return null;
  const exact = block.text.slice(range.data.from, range.data.to);
  return exact.trim() === "" ? null : { ...range.data, exact };
}
