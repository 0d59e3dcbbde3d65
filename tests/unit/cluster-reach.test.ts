import * as decoding from "lib0/decoding";
import { describe, expect, it } from "vitest";
import { readReach, REACH_MESSAGE } from "#app/editor/cluster-reach";
import { statusLine, type EditorStatus } from "#app/editor/connection-status";
import { createTranslate } from "#app/i18n/i18n";
import { changesReachOthers } from "#server/cluster/document-stream";
import { CloseCode, decodeMessage, encodeReach } from "#server/collab/protocol";

/** What an editor's browser makes of a frame: its type, and the reach it says (null when it ignores it). */
function received(frame: Uint8Array): { type: number; reach: boolean | null } {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  return { type, reach: readReach(decoder) };
}

describe("the message that says whether an editor's changes reach the other servers", () => {
  it("carries both answers to the editor", () => {
    expect(received(encodeReach(true))).toEqual({ type: REACH_MESSAGE, reach: true });
    expect(received(encodeReach(false))).toEqual({ type: REACH_MESSAGE, reach: false });
  });

  it("is ignored by the editor when its payload is anything else", () => {
    for (const payload of [[], [2], [1, 0], [0x81], [0x80, 0x01]]) {
      expect(received(new Uint8Array([REACH_MESSAGE, ...payload])).reach, `payload ${JSON.stringify(payload)}`).toBeNull();
    }
  });

  it("is refused from a client, which has nothing to tell the server about it", () => {
    expect(decodeMessage(encodeReach(true))).toMatchObject({ ok: false, closeCode: CloseCode.unsupportedData });
  });
});

describe("whether a process's changes reach the other processes", () => {
  it("holds while Redis answers and no update waits to be shared beyond the threshold", () => {
    expect(changesReachOthers({ redisReachable: true, oldestUnsharedMs: 0, reachLagMs: 2_000 })).toBe(true);
    expect(changesReachOthers({ redisReachable: true, oldestUnsharedMs: 2_000, reachLagMs: 2_000 })).toBe(true);
    expect(changesReachOthers({ redisReachable: true, oldestUnsharedMs: 2_001, reachLagMs: 2_000 })).toBe(false);
    expect(changesReachOthers({ redisReachable: false, oldestUnsharedMs: 0, reachLagMs: 2_000 })).toBe(false);
  });
});

describe("the editor's status line", () => {
  const sv = createTranslate("sv");
  const en = createTranslate("en");
  const normal: EditorStatus = { connection: "connected", save: "saved", unsaved: 0, reachesOthers: true };

  it("tells an editor politely, in both languages, when their saved changes may not reach editors on other servers", () => {
    const notReaching = { ...normal, reachesOthers: false };
    expect(statusLine(notReaching, en)).toEqual({
      shown: "Connected – your changes are saved on this server, but may not reach editors on other servers yet",
      announced: "Connected – your changes are saved on this server, but may not reach editors on other servers yet",
    });
    expect(statusLine(notReaching, sv).shown).toBe(
      "Ansluten – dina ändringar sparas på den här servern, men når kanske inte redaktörer på andra servrar ännu",
    );
    expect(statusLine({ ...notReaching, save: "unknown" }, en).shown).toMatch(/may not reach editors on other servers/);
  });

  it("goes back to normal once the changes reach the others again", () => {
    expect(statusLine(normal, en)).toEqual({ shown: "Connected – all changes saved", announced: "Connected" });
    expect(statusLine({ ...normal, save: "unknown" }, sv)).toEqual({ shown: "Ansluten", announced: "Ansluten" });
  });

  it("says first what matters more: a lost connection, then changes not saved at all", () => {
    const waiting: EditorStatus = { connection: "connected", save: "waiting", unsaved: 3, reachesOthers: false };
    expect(statusLine(waiting, en)).toEqual({ shown: "3 changes waiting to be saved", announced: "Changes are waiting to be saved" });
    expect(statusLine({ ...waiting, connection: "reconnecting" }, en)).toEqual({
      shown: "Connection lost – trying again… · 3 changes waiting to be saved",
      announced: "Connection lost – trying again…",
    });
    expect(statusLine({ ...normal, connection: "offline", reachesOthers: false }, sv).shown).toBe(
      "Offline – dina ändringar skickas när du är ansluten igen",
    );
  });
});
