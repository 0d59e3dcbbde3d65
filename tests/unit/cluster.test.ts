import { describe, expect, it, vi } from "vitest";
import type { CommentEvent } from "#app/comments/events";
import type { PresenterPosition } from "#app/present/events";
import { applyClusterMessage, catchUp, storedAnnouncer } from "#server/cluster/cluster";
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from "#server/cluster/cluster-messages";
import { SharedCommentEvents, SharedPresenterEvents, type PresenterPositions } from "#server/cluster/redis-events";

const DOCUMENT = "0b6f3f0e-8a41-4c4e-9a3c-6f1f7d3c2a10";

function recordingChannel() {
  const sent: ClusterMessage[] = [];
  return { sent, send: (message: ClusterMessage) => void sent.push(message) };
}

/** What another node's message changed here, in order. */
function recordingNode() {
  const done: string[] = [];
  return {
    done,
    commentCache: { invalidate: (id: string) => void done.push(`threads of ${id} dropped`), clear: () => void done.push("all threads dropped") },
    idleDocuments: { forget: (id: string) => void done.push(`stored copy of ${id} dropped`), forgetAll: () => void done.push("all stored copies dropped") },
    threadPlaces: { changed: (id: string) => void done.push(`places of ${id} compared`), changedAll: () => void done.push("all places compared") },
    liveSessions: {
      ended: (ids: readonly string[]) => void done.push(`sessions ${ids.join(",")} closed`),
      rightsChanged: (userId: string, rights: unknown) => void done.push(`${userId} now ${JSON.stringify(rights)}`),
    },
    liveDocuments: {
      accessChanged: (id: string, access: { readOnly: boolean }) => void done.push(`${id} ${access.readOnly ? "read-only" : "writable"}`),
    },
    commentEvents: { publish: (id: string, event: CommentEvent) => void done.push(`pages of ${id} told ${event.type}`) },
    presenterEvents: { publish: (id: string, position: PresenterPosition) => void done.push(`followers of ${id} moved to ${position.sectionId}`) },
  };
}

describe("messages between nodes", () => {
  it("are read back as they were sent, with their sender", () => {
    const message: ClusterMessage = { kind: "comment", documentId: DOCUMENT, event: { type: "thread-changed", threadId: "t1" } };
    expect(decodeClusterMessage(encodeClusterMessage("node-1", message))).toEqual({ from: "node-1", message });
  });

  it("ignores anything that is not a message of this version", () => {
    expect(decodeClusterMessage("not json")).toBeNull();
    expect(decodeClusterMessage(JSON.stringify({ from: "n", message: { kind: "reboot" } }))).toBeNull();
    expect(decodeClusterMessage(JSON.stringify({ from: "n", message: { kind: "document-stored", documentId: "../etc" } }))).toBeNull();
    expect(decodeClusterMessage(JSON.stringify({ from: "n", message: { kind: "presenter", documentId: DOCUMENT, position: { sectionId: "" } } }))).toBeNull();
  });

  it("drop a document's cached threads before its pages are told of a comment made elsewhere", () => {
    const node = recordingNode();
    applyClusterMessage({ kind: "comment", documentId: DOCUMENT, event: { type: "version-frozen", versionNumber: 2 } }, node);
    expect(node.done).toEqual([`threads of ${DOCUMENT} dropped`, `pages of ${DOCUMENT} told version-frozen`]);
  });

  it("drop the stored copy and compare thread places after a change stored elsewhere; end sessions and change rights", () => {
    const node = recordingNode();
    applyClusterMessage({ kind: "document-stored", documentId: DOCUMENT }, node);
    applyClusterMessage({ kind: "presenter", documentId: DOCUMENT, position: { sectionId: "s3" } }, node);
    applyClusterMessage({ kind: "sessions-ended", sessionIds: ["a", "b"] }, node);
    applyClusterMessage({ kind: "rights-changed", userId: "u1", rights: "revoked" }, node);
    applyClusterMessage({ kind: "document-access", documentId: DOCUMENT, readOnly: true }, node);
    expect(node.done).toEqual([
      `stored copy of ${DOCUMENT} dropped`,
      `places of ${DOCUMENT} compared`,
      `followers of ${DOCUMENT} moved to s3`,
      "sessions a,b closed",
      'u1 now "revoked"',
      `${DOCUMENT} read-only`,
    ]);
  });

  it("trust nothing cached after messages may have been missed", () => {
    const node = recordingNode();
    catchUp(node);
    expect(node.done).toEqual(["all threads dropped", "all stored copies dropped", "all places compared"]);
  });
});

describe("announcing stored changes", () => {
  it("sends one message per document for the writes that finish together, and none for a failed write", async () => {
    const channel = recordingChannel();
    const announce = storedAnnouncer(channel);
    const other = "5f0d7c55-2e0a-4d3e-b5a1-8a2f0c9e4b77";
    announce(DOCUMENT, Promise.resolve());
    announce(DOCUMENT, Promise.resolve());
    announce(other, Promise.resolve());
    announce(other, Promise.reject(new Error("database away")));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(channel.sent).toEqual([
      { kind: "document-stored", documentId: DOCUMENT },
      { kind: "document-stored", documentId: other },
    ]);
  });
});

describe("shared page events", () => {
  it("tell this node's pages and the other nodes", () => {
    const channel = recordingChannel();
    const events = new SharedCommentEvents(channel);
    const heard = vi.fn();
    events.subscribe(DOCUMENT, heard, () => {});
    events.publish(DOCUMENT, { type: "thread-changed", threadId: "t1" });
    expect(heard).toHaveBeenCalledWith({ type: "thread-changed", threadId: "t1" });
    expect(channel.sent).toEqual([{ kind: "comment", documentId: DOCUMENT, event: { type: "thread-changed", threadId: "t1" } }]);
    // What a node works out for its own pages stays on it.
    events.local.publish(DOCUMENT, { type: "text-changed", revision: "r2" });
    expect(channel.sent).toHaveLength(1);
    expect(heard).toHaveBeenCalledTimes(2);
  });

  it("give a late follower the shared position, or this node's last one while the store cannot answer", async () => {
    const saved = new Map<string, PresenterPosition>();
    let reachable = true;
    const positions: PresenterPositions = {
      save: (id, position) => void saved.set(id, position),
      read: (id) => (reachable ? Promise.resolve(saved.get(id)) : Promise.reject(new Error("Redis is not ready"))),
    };
    const channel = recordingChannel();
    const presenter = new SharedPresenterEvents(channel, positions);
    presenter.publish(DOCUMENT, { sectionId: "s2" });
    expect(channel.sent).toEqual([{ kind: "presenter", documentId: DOCUMENT, position: { sectionId: "s2" } }]);
    // Another node's later move, saved there.
    saved.set(DOCUMENT, { sectionId: "s5" });
    expect(await presenter.current(DOCUMENT)).toEqual({ sectionId: "s5" });
    reachable = false;
    expect(await presenter.current(DOCUMENT)).toEqual({ sectionId: "s2" });
  });
});
