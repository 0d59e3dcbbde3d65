import type { Kysely } from "kysely";
import { z } from "zod";
import { decideFlag, findOpenFlag, listOpenFlags } from "#db/repositories/comments";
import type { Database } from "#db/schema";
import { can } from "#app/models/authorization.server";
import { changeThreads, type ThreadChangeServices } from "./changes.server";
import type { CurrentSession } from "#app/models/sessions.server";
import { idSchema, reasonSchema } from "./fields.server";

export interface FlagView {
  id: string;
  reason: string;
  createdAt: string;
  flaggedByName: string;
  commentId: string;
  commentBody: string;
  commentAuthorName: string;
  threadId: string;
}

export async function loadModerationQueue(db: Kysely<Database>, documentId: string): Promise<FlagView[]> {
  const flags = await listOpenFlags(db, documentId);
  return flags.map((flag) => ({
    id: flag.id,
    reason: flag.reason,
    createdAt: flag.created_at.toISOString(),
    flaggedByName: flag.flagged_by_name,
    commentId: flag.comment_id,
    commentBody: flag.comment_body,
    commentAuthorName: flag.comment_author_name,
    threadId: flag.thread_id,
  }));
}

const moderationSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("hide"), flagId: idSchema, reason: reasonSchema }),
  z.object({ intent: z.literal("dismiss"), flagId: idSchema }),
]);

export type ModerationResult = { ok: true } | { ok: false; flagId: string; error: "required" | "too-long" | "invalid" | "flag-not-found" | "not-allowed" };

/** Hides a flagged comment with a reason that stays in its thread, or dismisses the flag. Editors and admins only. */
export async function moderate(
  deps: ThreadChangeServices,
  actor: CurrentSession,
  documentId: string,
  fields: Record<string, unknown>,
  context: { ip?: string | null; at?: Date } = {},
): Promise<ModerationResult> {
  const flagId = typeof fields.flagId === "string" ? fields.flagId : "";
  if (!can(actor.role, "moderate-comments")) return { ok: false, flagId, error: "not-allowed" };
  const parsed = moderationSchema.safeParse(fields);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message;
    return { ok: false, flagId, error: message === "required" || message === "too-long" ? message : "invalid" };
  }
  const command = parsed.data;
  const flag = await findOpenFlag(deps.db, command.flagId);
  if (!flag || flag.document_id !== documentId) return { ok: false, flagId, error: "flag-not-found" };
  const at = context.at ?? new Date();
  await changeThreads(deps, { documentId, actorId: actor.user.id, ip: context.ip, at }, async (trx, changes) => {
    await decideFlag(trx, {
      flagId: flag.id,
      commentId: flag.comment_id,
      outcome: command.intent === "hide" ? "hidden" : "dismissed",
      by: actor.user.id,
      at,
      hiddenReason: command.intent === "hide" ? command.reason : undefined,
    });
    changes.audit({
      action: command.intent === "hide" ? "comment.hidden" : "flag.dismissed",
      subject: flag.comment_id,
      details: command.intent === "hide" ? { reason: command.reason, flag: flag.id } : { flag: flag.id },
    });
    // A dismissed flag changes nothing readers see.
    if (command.intent === "hide") changes.thread(flag.thread_id);
  });
  return { ok: true };
}
