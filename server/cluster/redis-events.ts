import type { Redis } from "ioredis";
import { z } from "zod";
import type { CommentEvent, CommentEventBus } from "#app/comments/events";
import type { PresenterBus, PresenterPosition } from "#app/present/events";
import { InProcessCommentEvents } from "#server/comment-events";
import { InProcessPresenterEvents } from "#server/presenter-events";
import type { NodeChannel } from "./node-channel";
import { redisKey, type RedisSettings } from "./redis";

/**
 * Comment changes told to this node's pages at once and to the other nodes over the channel, whose own pages they
 * then tell (decision 0027). A node that is cut off from Redis still tells its own pages.
 */
export class SharedCommentEvents implements CommentEventBus {
  /** This node's pages only: for what every node works out for itself, such as threads that edits moved. */
  readonly local = new InProcessCommentEvents();

  constructor(private readonly channel: NodeChannel) {}

  publish(documentId: string, event: CommentEvent): void {
    this.local.publish(documentId, event);
    this.channel.send({ kind: "comment", documentId, event });
  }

  subscribe(documentId: string, listener: (event: CommentEvent) => void, onClose: () => void): () => void {
    return this.local.subscribe(documentId, listener, onClose);
  }

  close(): void {
    this.local.close();
  }
}

/** Where the last position of each presentation is kept for late followers on any node. */
export interface PresenterPositions {
  save(documentId: string, position: PresenterPosition): void;
  /** Rejects when the store cannot answer now. */
  read(documentId: string): Promise<PresenterPosition | undefined>;
}

/**
 * The presenters' positions, told to this node's followers and to the other nodes; the last one of each document is
 * kept in Redis for a follower who joins late on any node, and in this node's memory for when Redis is away.
 */
export class SharedPresenterEvents implements PresenterBus {
  /** This node's followers, and the last position this node saw of each document. */
  readonly local = new InProcessPresenterEvents();

  constructor(
    private readonly channel: NodeChannel,
    private readonly positions: PresenterPositions,
  ) {}

  publish(documentId: string, position: PresenterPosition): void {
    this.local.publish(documentId, position);
    this.positions.save(documentId, position);
    this.channel.send({ kind: "presenter", documentId, position });
  }

  async current(documentId: string): Promise<PresenterPosition | undefined> {
    const shared = await this.positions.read(documentId).catch(() => undefined);
    return shared ?? this.local.current(documentId);
  }

  subscribe(documentId: string, listener: (position: PresenterPosition) => void, onClose: () => void): () => void {
    return this.local.subscribe(documentId, listener, onClose);
  }

  close(): void {
    this.local.close();
  }
}

/** A workshop lasts hours: a position older than this is no longer anyone's presentation. */
const POSITION_TTL_SECONDS = 24 * 60 * 60;
const storedPosition = z.object({ sectionId: z.string().min(1).max(100) });

/** The positions in Redis, one key per document; while Redis is away nothing is saved and reading rejects. */
export function redisPresenterPositions(redis: Redis, settings: RedisSettings): PresenterPositions {
  const key = (documentId: string) => redisKey(settings, "presenter", documentId);
  return {
    save(documentId, position) {
      if (redis.status !== "ready") return;
      // A lost save costs a late follower the position until the next move; the live followers have it already.
      redis.set(key(documentId), JSON.stringify(position), "EX", POSITION_TTL_SECONDS).catch(() => undefined);
    },
    async read(documentId) {
      if (redis.status !== "ready") throw new Error("Redis is not ready");
      const text = await redis.get(key(documentId));
      if (text === null) return undefined;
      const parsed = storedPosition.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    },
  };
}
