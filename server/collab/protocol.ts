/**
 * The y-websocket wire protocol as the stock `WebsocketProvider` speaks it: every frame is a varuint message
 * type followed by its payload. This module only turns bytes into typed messages and back; it knows nothing of
 * sockets or rooms, so that everything a client can send is checked in one place before it touches a document.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { REACH_MESSAGE } from "#app/editor/cluster-reach";
import { STORED_MESSAGE } from "#app/editor/unsaved-changes";

/**
 * y-websocket's four types, and Samråd's save acknowledgements and cluster reach, which only the server sends (the
 * editor's side is in app/editor/unsaved-changes.ts and app/editor/cluster-reach.ts).
 */
export const MessageType = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, stored: STORED_MESSAGE, reach: REACH_MESSAGE } as const;
export const SyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

/** WebSocket close codes (RFC 6455 §7.4.1, and the private-use range 4000–4999) this server sends. */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  /**
   * The principal's access to the document ended (signed out, removed). The stock y-websocket client treats
   * 4400–4499 as final and stops reconnecting, where any other code would have it retry in a loop.
   */
  accessRevoked: 4401,
} as const;

/** A Yjs update as `Y.decodeUpdate` reads it: its structs and delete set, not yet applied to anything. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type CollabMessage =
  | { type: "sync-step-1"; stateVector: Uint8Array }
  /** `decoded` is `update` read once here, so that it is not read again to be checked. */
  | { type: "sync-step-2"; update: Uint8Array; decoded: DecodedUpdate }
  | { type: "sync-update"; update: Uint8Array; decoded: DecodedUpdate }
  | { type: "awareness"; update: Uint8Array }
  | { type: "query-awareness" }
  /** "Tell me what is stored, now and whenever more is." */
  | { type: "query-stored" };

export interface DecodeError {
  ok: false;
  /** 1003 when the message type is one this server does not accept, 1007 when the bytes are malformed. */
  closeCode: typeof CloseCode.unsupportedData | typeof CloseCode.invalidPayload;
  reason: string;
}

export type DecodeResult = { ok: true; message: CollabMessage } | DecodeError;

/** Thrown inside the decoder only; decodeMessage turns it into a DecodeError so callers never see an exception. */
class MalformedFrame extends Error {}
class UnsupportedMessage extends Error {}

// The largest varuint lib0 writes is 2^53 - 1, which takes 8 bytes of 7 bits.
const MAX_VARUINT_BYTES = 8;
const utf8 = new TextDecoder("utf-8", { fatal: true });

class FrameReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get atEnd(): boolean {
    return this.position === this.bytes.length;
  }

  readVarUint(): number {
    let value = 0;
    let multiplier = 1;
    for (let length = 1; length <= MAX_VARUINT_BYTES; length++) {
      const byte = this.bytes[this.position];
      if (byte === undefined) throw new MalformedFrame("truncated varint");
      this.position++;
      value += (byte & 0x7f) * multiplier;
      if (value > Number.MAX_SAFE_INTEGER) throw new MalformedFrame("varint out of range");
      if (byte < 0x80) return value;
      multiplier *= 0x80;
    }
    throw new MalformedFrame("varint too long");
  }

  /** A varuint length followed by that many bytes, returned as a view without copying. */
  readVarBytes(): Uint8Array {
    const length = this.readVarUint();
    if (length > this.bytes.length - this.position) throw new MalformedFrame("length prefix past end of frame");
    const view = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }

  readVarString(): string {
    try {
      return utf8.decode(this.readVarBytes());
    } catch (error) {
      if (error instanceof MalformedFrame) throw error;
      throw new MalformedFrame("string is not valid UTF-8");
    }
  }

  expectEnd(): void {
    if (!this.atEnd) throw new MalformedFrame("trailing bytes after message");
  }
}

/** Turns one binary frame from a client into a typed message, or says why the connection must be closed. */
export function decodeMessage(frame: Uint8Array): DecodeResult {
  try {
    return { ok: true, message: readMessage(new FrameReader(frame)) };
  } catch (error) {
    if (error instanceof UnsupportedMessage) return { ok: false, closeCode: CloseCode.unsupportedData, reason: error.message };
    if (error instanceof MalformedFrame) return { ok: false, closeCode: CloseCode.invalidPayload, reason: error.message };
    throw error;
  }
}

function readMessage(reader: FrameReader): CollabMessage {
  const messageType = reader.readVarUint();
  switch (messageType) {
    case MessageType.sync:
      return readSyncMessage(reader);
    case MessageType.awareness: {
      const update = reader.readVarBytes();
      reader.expectEnd();
      awarenessEntries(update);
      return { type: "awareness", update };
    }
    case MessageType.queryAwareness:
      reader.expectEnd();
      return { type: "query-awareness" };
    case MessageType.stored:
      reader.expectEnd();
      return { type: "query-stored" };
    case MessageType.auth:
      // Permissions are decided by the server at upgrade; a client has nothing to say about them.
      throw new UnsupportedMessage("auth messages are not accepted");
    default:
      throw new UnsupportedMessage(`unknown message type ${messageType}`);
  }
}

function readSyncMessage(reader: FrameReader): CollabMessage {
  const syncType = reader.readVarUint();
  switch (syncType) {
    case SyncMessageType.step1: {
      const stateVector = reader.readVarBytes();
      reader.expectEnd();
      checkStateVector(stateVector);
      return { type: "sync-step-1", stateVector };
    }
    case SyncMessageType.step2:
    case SyncMessageType.update: {
      const update = reader.readVarBytes();
      reader.expectEnd();
      return { type: syncType === SyncMessageType.step2 ? "sync-step-2" : "sync-update", update, decoded: decodeUpdate(update) };
    }
    default:
      throw new UnsupportedMessage(`unknown sync message type ${syncType}`);
  }
}

function checkStateVector(stateVector: Uint8Array): void {
  const reader = new FrameReader(stateVector);
  const clients = reader.readVarUint();
  for (let i = 0; i < clients; i++) {
    reader.readVarUint(); // client id
    reader.readVarUint(); // clock
  }
  reader.expectEnd();
}

/**
 * Yjs applies an update struct by struct, so one that breaks halfway would leave half of it in the document.
 * Parsing it completely first (without applying) keeps a malformed update from changing anything.
 */
function decodeUpdate(update: Uint8Array): DecodedUpdate {
  try {
    return Y.decodeUpdate(update);
  } catch {
    throw new MalformedFrame("update does not decode");
  }
}

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** What the client announces, as sent and not yet checked; null when the client is gone. */
  state: Record<string, unknown> | null;
  /** Length of the state's JSON text. */
  size: number;
}

/**
 * The entries of an awareness update. Also how decodeMessage checks one, for the same reason as updates:
 * applyAwarenessUpdate applies entries one by one and may throw midway. Throws on bytes decodeMessage would refuse.
 */
export function awarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const reader = new FrameReader(update);
  const count = reader.readVarUint();
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = reader.readVarUint();
    const clock = reader.readVarUint();
    const json = reader.readVarString();
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new MalformedFrame("awareness state is not JSON");
    }
    if (!isStateOrNull(state)) throw new MalformedFrame("awareness state is not an object or null");
    entries.push({ clientId, clock, state, size: json.length });
  }
  reader.expectEnd();
  return entries;
}

function isStateOrNull(value: unknown): value is Record<string, unknown> | null {
  return value === null || (typeof value === "object" && !Array.isArray(value));
}

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.step1);
    encoding.writeVarUint8Array(encoder, stateVector);
  });
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.step2);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.update);
    encoding.writeVarUint8Array(encoder, update);
  });
}

/** `update` is an awareness update as y-protocols' encodeAwarenessUpdate produces it. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeQueryAwareness(): Uint8Array {
  return encode((encoder) => encoding.writeVarUint(encoder, MessageType.queryAwareness));
}

/** `snapshot` is a Yjs snapshot (`Y.encodeSnapshot`) of changes that are stored in the database. */
export function encodeStored(snapshot: Uint8Array): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.stored);
    encoding.writeVarUint8Array(encoder, snapshot);
  });
}

/** Whether the changes this server accepts for the document reach the other servers now (see REACH_MESSAGE). */
export function encodeReach(reachesOthers: boolean): Uint8Array {
  return encode((encoder) => {
    encoding.writeVarUint(encoder, MessageType.reach);
    encoding.writeVarUint(encoder, reachesOthers ? 1 : 0);
  });
}
