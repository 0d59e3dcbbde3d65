import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * The Redis side of a document's stream (decision 0026), as scripts so that each step is atomic on the server.
 * Every entry carries `s`, a sequence number without gaps per document: a reader that sees one skipped knows
 * entries were trimmed before it read them (they were stored first), and reads the database again.
 */

const SHARE_UPDATE = `
local seq = redis.call('INCR', KEYS[2])
return {redis.call('XADD', KEYS[1], '*', 's', seq, 't', 'u', 'n', ARGV[1], 'd', ARGV[2]), seq}
`;

// Stream ids are "<ms>-<seq>"; both parts fit a Lua number exactly.
const LATER_THAN = `
local function later(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am > bm or (am == bm and as > bs)
end
`;

/**
 * Records that every entry up to ARGV[1] is in the database, announces it in the stream (the nodes waiting for their
 * updates to be stored read it there, in order) and trims what is stored. Never moves the mark back: a lease holder
 * that lost its lease while writing may still finish.
 */
const MARK_STORED = `${LATER_THAN}
local current = redis.call('GET', KEYS[3])
if current and not later(ARGV[1], current) then return current end
redis.call('SET', KEYS[3], ARGV[1])
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], '*', 's', seq, 't', 'p', 'n', ARGV[2], 'd', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
return ARGV[1]
`;

const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface DocumentKeys {
  stream: string;
  sequence: string;
  stored: string;
  lease: string;
  presence: string;
}

export type StreamEntry =
  | { id: string; seq: number; type: "update"; node: string; update: Uint8Array }
  | { id: string; seq: number; type: "stored"; node: string; upTo: string };

const sharedReply = z.tuple([z.string(), z.number().int()]);

export async function shareUpdate(redis: Redis, keys: DocumentKeys, node: string, update: Uint8Array): Promise<string> {
  const reply = await redis.eval(SHARE_UPDATE, 2, keys.stream, keys.sequence, node, Buffer.from(update));
  return sharedReply.parse(reply)[0];
}

export async function markStored(redis: Redis, keys: DocumentKeys, node: string, upTo: string): Promise<void> {
  await redis.eval(MARK_STORED, 3, keys.stream, keys.sequence, keys.stored, upTo, node);
}

export async function takeLease(redis: Redis, keys: DocumentKeys, node: string, leaseMs: number): Promise<boolean> {
  return (await redis.set(keys.lease, node, "PX", leaseMs, "NX")) === "OK";
}

export async function renewLease(redis: Redis, keys: DocumentKeys, node: string, leaseMs: number): Promise<boolean> {
  return (await redis.eval(RENEW_LEASE, 1, keys.lease, node, leaseMs)) === 1;
}

export async function releaseLease(redis: Redis, keys: DocumentKeys, node: string): Promise<void> {
  await redis.eval(RELEASE_LEASE, 1, keys.lease, node);
}

/** Entries after `after` (exclusive), at most `count`. */
export async function readEntries(redis: Redis, keys: DocumentKeys, after: string, count: number): Promise<StreamEntry[]> {
  const raw = await redis.xrangeBuffer(keys.stream, `(${after}`, "+", "COUNT", count);
  return raw.flatMap(([id, fields]) => parseEntry(id, fields) ?? []);
}

/** Everything the stream holds, and the sequence number of its last entry, read at one moment. */
export async function readWholeStream(redis: Redis, keys: DocumentKeys): Promise<{ entries: StreamEntry[]; seq: number }> {
  const replies = await redis.multi().get(keys.sequence).xrangeBuffer(keys.stream, "-", "+").exec();
  if (replies === null) throw new Error("the stream read was aborted");
  const [[seqError, seq], [rangeError, range]] = replies as [[Error | null, string | null], [Error | null, Array<[Buffer, Buffer[]]>]];
  if (seqError) throw seqError;
  if (rangeError) throw rangeError;
  return { entries: range.flatMap(([id, fields]) => parseEntry(id, fields) ?? []), seq: Number(seq ?? 0) };
}

/** An entry as the scripts above write it; anything else (not ours) is skipped. */
export function parseEntry(rawId: Buffer, fields: Buffer[]): StreamEntry | null {
  const values = new Map<string, Buffer>();
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const name = fields[index];
    const value = fields[index + 1];
    if (name !== undefined && value !== undefined) values.set(name.toString(), value);
  }
  const id = rawId.toString();
  const seq = Number(values.get("s")?.toString());
  const type = values.get("t")?.toString();
  const node = values.get("n")?.toString();
  const data = values.get("d");
  if (!Number.isSafeInteger(seq) || node === undefined || data === undefined) return null;
  if (type === "u") return { id, seq, type: "update", node, update: new Uint8Array(data) };
  if (type === "p") return { id, seq, type: "stored", node, upTo: data.toString() };
  return null;
}

/** Whether stream id `a` comes after `b`. */
export function streamIdAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}
