import type { CommentEvent, CommentEventBus } from "#app/comments/events";
import { InProcessEvents } from "./document-events";

/** Comment changes, announced to the open document pages of this process. */
export class InProcessCommentEvents extends InProcessEvents<CommentEvent> implements CommentEventBus {}
