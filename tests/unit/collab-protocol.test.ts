import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import {
  CloseCode,
  decodeMessage,
  encodeAwareness,
  encodeQueryAwareness,
  encodeStored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type CollabMessage,
  type DecodeResult,
} from "#server/collab/protocol";
import { encodeStoredQuery, STORED_MESSAGE } from "#app/editor/unsaved-changes";

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText("body").insert(0, text);
  return doc;
}

function frame(...parts: Array<number | Uint8Array>): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === "number") encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  }
  return encoding.toUint8Array(encoder);
}

function awarenessEntries(...entries: Array<[clientId: number, clock: number, json: string]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [clientId, clock, json] of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

function decoded(frameBytes: Uint8Array): CollabMessage {
  const result = decodeMessage(frameBytes);
  if (!result.ok) throw new Error(`expected a message, got ${result.closeCode}: ${result.reason}`);
  return result.message;
}

function closeCodeOf(result: DecodeResult): number | "ok" {
  return result.ok ? "ok" : result.closeCode;
}

describe("decodeMessage", () => {
  const doc = docWithText("Samråd");
  const update = Y.encodeStateAsUpdate(doc);
  const stateVector = Y.encodeStateVector(doc);

  it("reads sync step 1, step 2 and update frames written by y-protocols", () => {
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, doc);
    expect(decoded(encoding.toUint8Array(step1))).toEqual({ type: "sync-step-1", stateVector });

    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    syncProtocol.writeSyncStep2(step2, doc);
    expect(decoded(encoding.toUint8Array(step2))).toEqual({ type: "sync-step-2", update, decoded: Y.decodeUpdate(update) });

    const updateFrame = encoding.createEncoder();
    encoding.writeVarUint(updateFrame, 0);
    syncProtocol.writeUpdate(updateFrame, update);
    expect(decoded(encoding.toUint8Array(updateFrame))).toEqual({ type: "sync-update", update, decoded: Y.decodeUpdate(update) });
  });

  it("reads awareness and query-awareness frames", () => {
    const awareness = awarenessEntries([7, 1, JSON.stringify({ user: { name: "Åsa" } })], [8, 3, "null"]);
    expect(decoded(frame(1, awareness))).toEqual({ type: "awareness", update: awareness });
    expect(decoded(frame(1, awarenessEntries()))).toEqual({ type: "awareness", update: new Uint8Array([0]) });
    expect(decoded(frame(3))).toEqual({ type: "query-awareness" });
  });

  it("reads an editor's request for save acknowledgements, and writes acknowledgements it can read back", () => {
    expect(decoded(encodeStoredQuery())).toEqual({ type: "query-stored" });
    const acknowledgement = decoding.createDecoder(encodeStored(Y.encodeSnapshot(Y.snapshot(doc))));
    expect(decoding.readVarUint(acknowledgement)).toBe(STORED_MESSAGE);
    const stored = Y.decodeSnapshot(decoding.readVarUint8Array(acknowledgement));
    expect(Y.equalSnapshots(stored, Y.snapshot(doc))).toBe(true);
  });

  it("round-trips its own encoders", () => {
    expect(decoded(encodeSyncStep1(stateVector))).toEqual({ type: "sync-step-1", stateVector });
    expect(decoded(encodeSyncStep2(update))).toEqual({ type: "sync-step-2", update, decoded: Y.decodeUpdate(update) });
    expect(decoded(encodeSyncUpdate(update))).toEqual({ type: "sync-update", update, decoded: Y.decodeUpdate(update) });
    const awareness = awarenessEntries([1, 1, "{}"]);
    expect(decoded(encodeAwareness(awareness))).toEqual({ type: "awareness", update: awareness });
    expect(decoded(encodeQueryAwareness())).toEqual({ type: "query-awareness" });
  });

  it("writes frames y-protocols can read", () => {
    const replica = new Y.Doc();
    const reply = encoding.createEncoder();
    const decoder = decoding.createDecoder(encodeSyncStep2(update));
    expect(decoding.readVarUint(decoder)).toBe(0);
    expect(syncProtocol.readSyncMessage(decoder, reply, replica, null)).toBe(syncProtocol.messageYjsSyncStep2);
    expect(replica.getText("body").toString()).toBe("Samråd");
  });

  const truncatedUpdate = update.subarray(0, update.length - 3);
  const cases: Array<[description: string, frame: Uint8Array, closeCode: number]> = [
    ["an empty frame", new Uint8Array(), CloseCode.invalidPayload],
    ["a truncated message type varint", new Uint8Array([0x80]), CloseCode.invalidPayload],
    ["a varint longer than any safe integer", new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), CloseCode.invalidPayload],
    ["an unknown message type", frame(7), CloseCode.unsupportedData],
    ["an auth message", frame(2, 0, new TextEncoder().encode("let me in")), CloseCode.unsupportedData],
    ["an unknown sync message type", frame(0, 5, new Uint8Array([0])), CloseCode.unsupportedData],
    ["a sync frame without its sync type", frame(0), CloseCode.invalidPayload],
    ["a length prefix past the end of the frame", new Uint8Array([0, 2, 10, 1, 2]), CloseCode.invalidPayload],
    ["bytes after the message", new Uint8Array([...encodeSyncUpdate(update), 0]), CloseCode.invalidPayload],
    ["an update that is garbage", frame(0, 2, new Uint8Array([0xde, 0xad, 0xbe, 0xef])), CloseCode.invalidPayload],
    ["a truncated update", frame(0, 2, truncatedUpdate), CloseCode.invalidPayload],
    ["an empty update", frame(0, 2, new Uint8Array()), CloseCode.invalidPayload],
    ["a sync step 2 that is garbage", frame(0, 1, new Uint8Array([0xff, 0xff])), CloseCode.invalidPayload],
    ["a state vector with bytes after it", frame(0, 0, new Uint8Array([...stateVector, 9])), CloseCode.invalidPayload],
    ["a truncated state vector", frame(0, 0, new Uint8Array([2, 1])), CloseCode.invalidPayload],
    ["awareness that is not JSON", frame(1, awarenessEntries([1, 1, "{nope"])), CloseCode.invalidPayload],
    ["awareness whose state is not an object", frame(1, awarenessEntries([1, 1, "[1,2]"])), CloseCode.invalidPayload],
    ["awareness with invalid UTF-8", frame(1, new Uint8Array([1, 1, 1, 2, 0xc3, 0x28])), CloseCode.invalidPayload],
    ["awareness with fewer entries than announced", frame(1, new Uint8Array([2, 1, 1, 2, 0x7b, 0x7d])), CloseCode.invalidPayload],
    ["a query-awareness frame with a payload", frame(3, 1), CloseCode.invalidPayload],
    ["a request for save acknowledgements with a payload", frame(STORED_MESSAGE, 1), CloseCode.invalidPayload],
  ];

  it.each(cases)("refuses %s", (_description, bytes, closeCode) => {
    const result = decodeMessage(bytes);
    expect(result.ok).toBe(false);
    expect(closeCodeOf(result)).toBe(closeCode);
    if (!result.ok) expect(result.reason).not.toBe("");
  });

  it("returns a result for any bytes, never throws", () => {
    // A fixed-seed generator, so a failure names bytes that can be replayed.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const prefixes = [[], [0], [0, 0], [0, 1], [0, 2], [1], [3]];
    for (let i = 0; i < 5000; i++) {
      const prefix = prefixes[i % prefixes.length] ?? [];
      const body = Array.from({ length: random() % 40 }, () => random() & 0xff);
      const bytes = new Uint8Array([...prefix, ...body]);
      const result = decodeMessage(bytes);
      if (!result.ok) expect([CloseCode.unsupportedData, CloseCode.invalidPayload]).toContain(result.closeCode);
    }
  });
});
