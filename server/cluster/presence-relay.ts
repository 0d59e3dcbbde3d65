import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "#app/log.server";
import type { PresenceChange } from "#server/collab/presence";

/**
 * Carets and names across server processes (decision 0026), over Redis pub/sub: one channel per open document.
 * What is published is what a room's presence (presence.ts) already decided from its connections' sessions; the
 * other processes take it as it is, since only our own nodes can publish on our Redis. Nothing is published when
 * nothing changed or nobody is connected; a process with connected people repeats their presence every refresh,
 * and the others forget a process they have not heard from for a timeout (one that died, or lost Redis).
 */

const presenceChangeSchema = z.object({
  clientId: z.number().int().nonnegative(),
  clock: z.number().int().nonnegative(),
  json: z.string(),
});

const messageSchema = z.object({
  node: z.string().min(1).max(64),
  changes: z.array(presenceChangeSchema).max(10_000).optional(),
  /** Sent by a process that just opened the document: the others answer with their presence. */
  query: z.literal(true).optional(),
});

export interface PresenceListener {
  changed(node: string, changes: readonly PresenceChange[]): void;
  /** Another process asks for everything: answer with this process's presence. */
  queried(): void;
}

export interface PresenceCounters {
  presenceMessagesSent: number;
  presenceMessagesReceived: number;
}

export class PresenceRelay {
  private readonly listeners = new Map<string, PresenceListener>();

  constructor(
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly node: string,
    private readonly log: Logger,
    private readonly counters: PresenceCounters,
  ) {
    subscriber.on("message", (channel: string, message: string) => this.receive(channel, message));
  }

  follow(channel: string, listener: PresenceListener): void {
    this.listeners.set(channel, listener);
    this.subscriber.subscribe(channel).catch((error: unknown) => this.log.warn("could not follow presence", { channel, error }));
    this.send(channel, { node: this.node, query: true });
  }

  unfollow(channel: string): void {
    this.listeners.delete(channel);
    this.subscriber.unsubscribe(channel).catch(() => {});
  }

  publish(channel: string, changes: readonly PresenceChange[]): void {
    if (changes.length > 0) this.send(channel, { node: this.node, changes: [...changes] });
  }

  /** Presence is only worth sending now: while Redis is away it is dropped, not queued, and the refresh catches up. */
  private send(channel: string, message: z.infer<typeof messageSchema>): void {
    if (this.publisher.status !== "ready") return;
    this.counters.presenceMessagesSent++;
    this.publisher.publish(channel, JSON.stringify(message)).catch(() => {});
  }

  private receive(channel: string, text: string): void {
    const listener = this.listeners.get(channel);
    if (listener === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const message = messageSchema.safeParse(parsed);
    if (!message.success) {
      this.log.warn("ignored a malformed presence message", { channel });
      return;
    }
    if (message.data.node === this.node) return;
    this.counters.presenceMessagesReceived++;
    if (message.data.query) listener.queried();
    if (message.data.changes) listener.changed(message.data.node, message.data.changes);
  }
}
