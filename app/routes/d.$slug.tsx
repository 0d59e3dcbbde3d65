import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, type ClientActionFunctionArgs } from "@remix-run/react";
import { skipAfterNetworkFailure } from "#app/components/revalidation";
import { DocumentPageView } from "#app/components/document/DocumentPageView";
import { commentPath, threadPath } from "#app/comments/links";
import { commentFormKey, type CommentActionData, type CommentCommandResult } from "#app/comments/types";
import { requirePermission } from "#app/http/auth.server";
import { requireDocument, requireDocumentPage } from "#app/http/document.server";
import { runCommentCommand } from "#app/models/comments/commands.server";
import { readForm } from "#app/models/forms.server";
import { pageTitle } from "#app/i18n/title";
import type { SkipLinksHandle } from "#app/components/skip-links";
import { noteCommentResult } from "#app/components/comments/action-feedback";

export const handle: SkipLinksHandle = { skipToComments: true };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "draft", data?.document.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { page, staticDraft } = await requireDocumentPage(request, context, params.slug);
  context.serverOnly.staticDraft = staticDraft;
  return page;
}

/** Every comment form of the page posts here; see runCommentCommand for the intents. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "comment");
  const document = await requireDocument(context, params.slug);
  const { fields, refused } = await readForm(request);
  const result: CommentCommandResult = refused
    ? { ok: false, formKey: commentFormKey(fields), error: "control-characters", field: commentField(refused) }
    : await runCommentCommand(context.services, current, document.id, fields);
  if (result.ok) {
    // A page without JavaScript posted the form itself: show the comment (on whichever page of the list it is),
    // and let reloading not post it again.
    if (!fields.enhanced) {
      return redirect(result.commentId ? commentPath(document.slug, result.commentId) : threadPath(document.slug, result.threadId));
    }
    return result satisfies CommentActionData;
  }
  const failed: CommentActionData = {
    ...result,
    values: {
      body: fields.body,
      reason: fields.reason,
      blockId: fields.blockId,
      response: fields.response,
      suggestion: fields.suggestion,
      kind: fields.kind,
    },
  };
  return Response.json(failed, {
    status: result.error === "not-allowed" ? 403 : 400,
  });
}

/**
 * In the browser: a comment that cannot be sent (offline, server restarting) is answered at its form, with its
 * text kept, instead of replacing the page with the error page.
 */
export async function clientAction({ request, serverAction }: ClientActionFunctionArgs): Promise<CommentActionData> {
  const fields = formFields(await request.clone().formData());
  try {
    const result = await serverAction<typeof action>();
    noteCommentResult(commentFormKey(fields), result);
    return result;
  } catch (error) {
    if (error instanceof Response) throw error;
    return {
      ok: false,
      formKey: commentFormKey(fields),
      error: "network",
      field: null,
      values: { body: fields.body, reason: fields.reason, response: fields.response, suggestion: fields.suggestion },
    };
  }
}

export const shouldRevalidate = skipAfterNetworkFailure;

export default function DocumentRoute() {
  return <DocumentPageView page={useLoaderData<typeof loader>()} />;
}

const SHOWN_FIELDS = ["body", "reason", "response", "suggestion"] as const;

/** The text box a refused field is shown at; a hidden field's problem is the whole form's. */
function commentField(name: string): (typeof SHOWN_FIELDS)[number] | null {
  return SHOWN_FIELDS.find((field) => field === name) ?? null;
}

function formFields(form: FormData): Record<string, string> {
  return Object.fromEntries([...form].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
