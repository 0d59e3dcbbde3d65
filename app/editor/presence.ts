import * as Y from "yjs";
import { z } from "zod";

/**
 * What an editor's presence (its awareness state) may hold, as the collaboration server relays it and the editor
 * draws it: `{ user: { name, color }, cursor: null | { anchor, head } }`, the cursor as Yjs relative positions.
 * The server builds `user` from the session; the browser's own is never relayed.
 */

const uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const itemId = z.object({ client: uint, clock: uint });

/** The JSON form of a Y.RelativePosition (what JSON.stringify makes of one), which must point somewhere. */
const relativePositionSchema = z
  .object({
    type: itemId.nullable().optional(),
    tname: z.string().max(100).nullable().optional(),
    item: itemId.nullable().optional(),
    assoc: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  // With none of the three, resolving it throws inside Yjs.
  .refine((position) => position.item != null || position.type != null || position.tname != null, "points nowhere")
  .refine((position) => {
    try {
      Y.createRelativePositionFromJSON(position);
      return true;
    } catch {
      return false;
    }
  }, "not a relative position");

/** The selection of an editor with focus (y-tiptap's `cursor` field); null when it has none. */
export const caretCursorSchema = z.object({ anchor: relativePositionSchema, head: relativePositionSchema });
export type CaretCursor = z.infer<typeof caretCursorSchema>;

export const caretIdentitySchema = z.object({
  name: z.string().min(1).max(300),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});

const caretStateSchema = z.object({
  user: caretIdentitySchema,
  cursor: caretCursorSchema.nullable().optional(),
});

/**
 * Whether an awareness state can be drawn as a caret without throwing: y-tiptap reads `cursor.anchor` and
 * `user.color` unchecked, so one malformed state would break drawing every other caret.
 */
export function isCaretState(state: unknown): boolean {
  return caretStateSchema.safeParse(state).success;
}
