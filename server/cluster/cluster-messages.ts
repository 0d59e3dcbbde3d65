import { z } from "zod";

const documentId = z.string().uuid();
const sectionId = z.string().min(1).max(100);

const commentEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("thread-changed"), threadId: z.string().min(1).max(100) }),
  z.object({ type: z.literal("version-frozen"), versionNumber: z.number().int().nonnegative() }),
  z.object({ type: z.literal("text-changed"), revision: z.string().min(1).max(200) }),
]);

/**
 * What one node tells the others (decision 0027). Everything but the document's own updates: those travel on the
 * document stream. Each names what changed; nothing carries data a page would show.
 */
const clusterMessageSchema = z.discriminatedUnion("kind", [
  /** A change to a document's comments: the others drop their cached threads and tell their open pages. */
  z.object({ kind: z.literal("comment"), documentId, event: commentEventSchema }),
  /** A presenter moved: the others tell their followers. */
  z.object({ kind: z.literal("presenter"), documentId, position: z.object({ sectionId }) }),
  /** A change to the document's text is in the database: the others drop their stored copy and compare thread places. */
  z.object({ kind: z.literal("document-stored"), documentId }),
  /** Sessions ended (sign-out, password change, reset): their sockets close on every node. */
  z.object({ kind: z.literal("sessions-ended"), sessionIds: z.array(z.string().min(1).max(200)).max(10_000) }),
  /** An account's rights changed: its sockets on every node follow. */
  z.object({
    kind: z.literal("rights-changed"),
    userId: z.string().min(1).max(200),
    rights: z.union([z.literal("revoked"), z.object({ readOnly: z.boolean() })]),
  }),
  /** A document was archived (read-only) or unarchived: its sockets on every node follow. */
  z.object({ kind: z.literal("document-access"), documentId, readOnly: z.boolean() }),
]);

export type ClusterMessage = z.infer<typeof clusterMessageSchema>;

const envelopeSchema = z.object({ from: z.string().min(1).max(100), message: clusterMessageSchema });

/** A message on the wire, with the node that sent it, so that the sender does not handle its own message twice. */
export function encodeClusterMessage(from: string, message: ClusterMessage): string {
  return JSON.stringify({ from, message });
}

/** The message, or null when the text is no message of this version of Samråd (it is then ignored). */
export function decodeClusterMessage(text: string): { from: string; message: ClusterMessage } | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
