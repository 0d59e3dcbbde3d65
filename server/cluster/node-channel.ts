import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "#app/log.server";
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from "./cluster-messages";
import { connectRedis, redisKey, type RedisSettings } from "./redis";

/** How a node tells the others; what it tells them is handled here at once, by whoever tells. */
export interface NodeChannel {
  send(message: ClusterMessage): void;
}

/** Since the process started, for metrics. */
export interface NodeChannelCounts {
  /** Messages Redis took from this node. */
  published: number;
  /** Messages from other nodes handled here. */
  received: number;
  /** Messages lost: dropped while Redis was away beyond MAX_UNSENT_MESSAGES, or refused by Redis. */
  lost: number;
}

/** Commands answered later than this count as failed: a rate limit then counts locally instead of holding up sign-in. */
const COMMAND_TIMEOUT_MS = 1_000;
/** Messages kept while Redis is away, sent when it is back; beyond this the oldest go (the others then catch up by reloading). */
export const MAX_UNSENT_MESSAGES = 1_000;

/**
 * This node's two connections to the shared Redis: one for commands (publish, rate limits, the presenter's position),
 * one subscribed to the deployment's channel (pub/sub needs a connection of its own). Neither ever makes a caller
 * wait for Redis: commands fail at once while it is away (no offline queue), messages sent meanwhile are kept (up to
 * MAX_UNSENT_MESSAGES) and sent once it is back, and what others sent meanwhile is lost, which `onResubscribed`
 * handlers make up for.
 */
export class RedisNodeChannel implements NodeChannel {
  /** Tells this node's messages from the others' when they come back on the channel. */
  readonly nodeId = randomUUID();
  readonly commands: Redis;
  readonly counts: NodeChannelCounts = { published: 0, received: 0, lost: 0 };
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly unsent: string[] = [];
  private droppedUnsent = false;
  private receiver: (message: ClusterMessage) => void = () => {};
  private readonly resubscribed: (() => void)[] = [];
  // True until the first subscription, so that a node whose Redis came up after it also catches up.
  private missedMessages = true;
  private closed = false;

  constructor(
    settings: RedisSettings,
    private readonly log: Logger,
  ) {
    this.channel = redisKey(settings, "events");
    this.commands = connectRedis(settings, log, { enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS });
    this.subscriber = connectRedis(settings, log);
    this.commands.on("ready", () => this.sendUnsent());
    this.subscriber.on("message", (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const decoded = decodeClusterMessage(text);
      if (decoded === null) log.warn("ignored a malformed message from another node");
      else if (decoded.from !== this.nodeId) {
        this.counts.received++;
        this.safely("handling a message from another node", () => this.receiver(decoded.message));
      }
    });
    this.subscriber.on("close", () => (this.missedMessages = true));
    this.subscriber.on("ready", () => void this.subscribe());
  }

  /**
   * Subscribes, waiting at most `waitMs` for Redis: a node whose Redis is away serves alone meanwhile. Returns
   * whether both connections are ready.
   */
  async open(waitMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const ready = (redis: Redis) => new Promise<void>((resolve) => (redis.status === "ready" ? resolve() : redis.once("ready", () => resolve())));
    const opened = await Promise.race([
      Promise.all([this.subscribe(), ready(this.commands)]).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    clearTimeout(timer);
    if (!opened) this.log.warn("Redis is not reachable yet: this node serves alone until it is");
    return opened;
  }

  /** Where the other nodes' messages go (one receiver; messages before it is set are not needed). */
  receive(receiver: (message: ClusterMessage) => void): void {
    this.receiver = receiver;
  }

  /** Runs `handler` each time the subscription is back after messages may have been missed (and at the first). */
  onResubscribed(handler: () => void): void {
    this.resubscribed.push(handler);
  }

  send(message: ClusterMessage): void {
    if (this.closed) return;
    const text = encodeClusterMessage(this.nodeId, message);
    if (this.commands.status === "ready") this.publish(text);
    else this.keep(text);
  }

  /** Sends what was published before it and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  private async subscribe(): Promise<void> {
    // ioredis subscribes again by itself after a reconnection; this one is ordered after it, so once it is answered
    // every later message arrives, and the caches can be dropped without missing one.
    const missed = this.missedMessages;
    this.missedMessages = false;
    try {
      await this.subscriber.subscribe(this.channel);
    } catch {
      this.missedMessages = true;
      return;
    }
    if (!missed) return;
    for (const handler of this.resubscribed) this.safely("catching up after Redis was away", handler);
  }

  /** A failure here is this node's, not the connection's: it is logged, and the next message is handled as usual. */
  private safely(doing: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.log.error(`${doing} failed`, { error: error instanceof Error ? error : String(error) });
    }
  }

  private publish(text: string): void {
    this.commands.publish(this.channel, text).then(
      () => this.counts.published++,
      (error: unknown) => {
        this.counts.lost++;
        this.log.warn("a message to the other nodes was lost", { error: error instanceof Error ? error : String(error) });
      },
    );
  }

  private keep(text: string): void {
    this.unsent.push(text);
    if (this.unsent.length <= MAX_UNSENT_MESSAGES) return;
    this.unsent.shift();
    this.counts.lost++;
    if (!this.droppedUnsent) this.log.warn(`more than ${MAX_UNSENT_MESSAGES} messages waited for Redis; the oldest are dropped`);
    this.droppedUnsent = true;
  }

  private sendUnsent(): void {
    for (const text of this.unsent.splice(0)) this.publish(text);
    this.droppedUnsent = false;
  }
}
