import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { StoredAnchor } from "./anchor";

/** Table types of the Samråd database. Migrations in db/migrations create exactly these. */
export interface Database {
  documents: DocumentsTable;
  document_updates: DocumentUpdatesTable;
  document_snapshots: DocumentSnapshotsTable;
  workshops: WorkshopsTable;
  spaces: SpacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  password_reset_tokens: PasswordResetTokensTable;
  invites: InvitesTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  comment_threads: CommentThreadsTable;
  comments: CommentsTable;
  thread_agreements: ThreadAgreementsTable;
  comment_flags: CommentFlagsTable;
  document_versions: DocumentVersionsTable;
  thread_reviews: ThreadReviewsTable;
  notifications: NotificationsTable;
  draft_imports: DraftImportsTable;
}

export interface DocumentsTable {
  id: Generated<string>; // uuid, also the collaboration room name: /collab/<id>
  slug: string; // unique, used in /d/<slug>
  title: string;
  language: string; // BCP 47 tag of the document's own text, e.g. "sv"
  space_id: string; // insertDocument fills in the default space when none is given
  contribution_licence: Generated<string>; // SPDX id of the licence comments are published under, "CC-BY-4.0" unless set
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  // Set while an admin has archived it: still public, read-only for everyone (decision 0033).
  archived_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Append-only log of Yjs updates (V2 encoding), compacted into document_snapshots. */
export interface DocumentUpdatesTable {
  seq: Generated<number>; // bigint identity, surfaced as number by both drivers
  document_id: string;
  update: Uint8Array;
  created_at: Generated<Date>;
}

/** At most one per document: the merged state (V2 encoding) of every log row it replaced. */
export interface DocumentSnapshotsTable {
  document_id: string;
  state: Uint8Array;
  updated_at: Generated<Date>;
}

export interface WorkshopsTable {
  id: Generated<string>; // uuid
  slug: string; // unique, e.g. "2020-09-01-oppna-licenser"
  title: string;
  starts_at: Date;
  ends_at: Date;
  description: string;
  organisers: string; // as written in the programme, e.g. "Catharina Ekdahl och Charlott Galant (PRV)"
  meeting_url: ColumnType<string | null, string | null | undefined, string | null>; // http(s) link to join; null when none
  created_at: Generated<Date>;
}

/** A group of people and documents; one default space ("standard") exists from the start. */
export interface SpacesTable {
  id: Generated<string>; // uuid
  slug: string; // unique
  name: string;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>; // uuid
  email: string; // as the person typed it, for display and as the mail recipient
  email_normalized: string; // unique: trimmed and lower-cased (normalizeEmail), the key sign-in looks up
  name: string;
  organisation: Generated<string>; // "" when not given
  password_hash: string; // argon2id, PHC string
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deactivated_at: Date | null;
  contribution_licence_accepted_at: Date | null;
  // Whether each kind of notification is also mailed (see NotificationKind); set on the account page.
  email_on_reply: Generated<boolean>;
  email_on_status: Generated<boolean>;
  email_on_version: Generated<boolean>;
}

/** Kept in step with the check constraint of memberships.role and invites.role. */
export type MembershipRole = "member" | "editor" | "host" | "admin";

export interface MembershipsTable {
  user_id: string;
  space_id: string;
  role: MembershipRole;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: string; // SHA-256 (hex) of the session token; the token itself only lives in the cookie
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date; // absolute end, whatever the activity
  revoked_at: Date | null;
}

export interface PasswordResetTokensTable {
  token_hash: string; // SHA-256 (hex) of the token in the mailed link
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface InvitesTable {
  token_hash: string; // SHA-256 (hex) of the token in the invite link
  space_id: string;
  role: MembershipRole;
  created_by: string;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
}

/** Every mail the app sends, sent or not: a local install without SMTP reads its links from here or the log. */
export interface OutboxTable {
  id: Generated<number>; // bigint identity
  to_address: string;
  subject: string;
  body_text: string;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface AuditLogTable {
  id: Generated<number>; // bigint identity
  actor_user_id: string | null; // null for the system or an anonymous visitor
  action: string;
  subject: string | null; // what the action was about, e.g. the user id whose role changed
  // Written as JSON text: both drivers pass a string parameter to jsonb unchanged, unlike an object.
  details: ColumnType<JsonObject, string | undefined, never>;
  ip: string | null;
  created_at: Generated<Date>;
}

export type ThreadStatus = "open" | "resolved";
export type ThreadKind = "comment" | "suggestion";
/** How editors handled a closed thread (issue 7); null for an open one, or one its author resolved. */
export type ThreadOutcome = "accepted" | "partly-accepted" | "rejected" | "answered";
export type CommentPosition = "supports" | "opposes" | "neutral";

export interface CommentThreadsTable {
  id: Generated<string>; // uuid
  document_id: string;
  block_id: string; // the block it was started on; its place now is resolved from the anchor
  // Written as JSON text (see AuditLogTable.details).
  anchor: ColumnType<StoredAnchor, string, never>;
  author_id: string;
  status: Generated<ThreadStatus>;
  status_changed_by: string | null;
  status_changed_at: Date | null;
  created_at: Generated<Date>;
  version_number: number | null; // the version the draft was based on when the thread was started
  kind: Generated<ThreadKind>;
  suggested_text: string | null; // a suggestion's replacement text
  outcome: ThreadOutcome | null;
  response: string | null; // the editors' public answer when they closed it
  responded_by: string | null;
  responded_at: Date | null;
  incorporated_in: number | null; // the first version with the accepted change
}

export interface CommentsTable {
  id: Generated<string>; // uuid, also the deep link: /d/<slug>#comment-<id>
  thread_id: string;
  author_id: string;
  body: string; // "" once deleted
  position: CommentPosition | null;
  created_at: Generated<Date>;
  edited_at: Date | null;
  deleted_at: Date | null;
  hidden_at: Date | null;
  hidden_by: string | null;
  hidden_reason: string | null;
  version_number: number | null; // the version the draft was based on when the comment was written
}

export interface ThreadAgreementsTable {
  thread_id: string;
  user_id: string;
  created_at: Generated<Date>;
}

export type FlagOutcome = "hidden" | "dismissed";

export interface CommentFlagsTable {
  id: Generated<string>; // uuid
  comment_id: string;
  flagged_by: string;
  reason: string;
  created_at: Generated<Date>;
  outcome: FlagOutcome | null; // null while waiting in the moderation queue
  decided_by: string | null;
  decided_at: Date | null;
}

/** A frozen version of a document: its text is written once and never updated; only its comment window may change. */
export interface DocumentVersionsTable {
  id: Generated<string>; // uuid
  document_id: string;
  number: number; // 1, 2, 3… per document
  name: string; // unique per document, case-insensitively
  change_note: Generated<string>;
  workshop_id: string | null; // the workshop it was presented at
  state: Uint8Array; // Yjs state of that moment, V2 encoding
  // The VersionBlock list of app/versions/diff.ts, written as JSON text (see AuditLogTable.details).
  blocks: ColumnType<JsonValue, string, never>;
  created_by: string;
  created_at: Generated<Date>;
  comments_open_at: Date | null; // null: comments taken from the start
  comments_close_at: Date | null; // null: comments taken until the next version
}

/** How an open thread's text fared when a version was frozen (see classifyThread in app/versions). */
export type ThreadReviewOutcome = "unchanged" | "moved" | "text-changed" | "removed";

export interface ThreadReviewsTable {
  thread_id: string;
  version_id: string;
  outcome: ThreadReviewOutcome;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

/** What a member is told about: a reply in their thread, editors changing its status, a new version of the draft. */
export type NotificationKind = "reply" | "status" | "version";

export interface NotificationsTable {
  id: Generated<string>; // uuid
  user_id: string; // who is told
  kind: NotificationKind;
  document_id: string;
  thread_id: string | null; // for "reply" and "status"
  version_number: number | null; // for "version"
  actor_id: string | null; // who replied, answered or froze the version
  created_at: Generated<Date>;
  read_at: Date | null;
}

/** A converted Word or Markdown file waiting for its importer to confirm the new draft (decision 0033). */
export interface DraftImportsTable {
  id: Generated<string>; // uuid: the form's reference to it, usable only by the session that made it
  session_id: string;
  file_name: string;
  // ProseMirror JSON and the ImportReport of app/drafts/import-report.ts, written as JSON text (see AuditLogTable.details).
  content: ColumnType<JsonObject, string, never>;
  report: ColumnType<JsonObject, string, never>;
  created_at: Generated<Date>;
}

export type DocumentRow = Selectable<DocumentsTable>;
export type NewDocument = Insertable<DocumentsTable>;
export type DocumentUpdateRow = Selectable<DocumentUpdatesTable>;
export type WorkshopRow = Selectable<WorkshopsTable>;
export type NewWorkshop = Insertable<WorkshopsTable>;
export type UpdateWorkshop = Updateable<WorkshopsTable>;
export type SpaceRow = Selectable<SpacesTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type PasswordResetTokenRow = Selectable<PasswordResetTokensTable>;
export type InviteRow = Selectable<InvitesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type DraftImportRow = Selectable<DraftImportsTable>;
