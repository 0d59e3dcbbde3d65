import { afterEach, describe, expect, it, vi } from "vitest";
import { limitRepeatedWarnings, type Logger } from "#app/log.server";

function recordingLogger(): Logger & { lines: Array<[string, string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  return {
    lines,
    debug: (message, fields) => lines.push(["debug", message, fields]),
    info: (message, fields) => lines.push(["info", message, fields]),
    warn: (message, fields) => lines.push(["warn", message, fields]),
    error: (message, fields) => lines.push(["error", message, fields]),
  };
}

describe("warn lines repeated by many connections", () => {
  afterEach(() => vi.useRealTimers());

  it("lets through a few per message and window, demotes the rest to debug and counts them in the next window", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const inner = recordingLogger();
    const log = limitRepeatedWarnings(inner, { max: 3, windowMs: 60_000 });
    for (let i = 0; i < 10; i++) log.warn("closing connection after a bad frame", { i });
    log.warn("another message");
    expect(inner.lines.filter(([level]) => level === "warn")).toHaveLength(4);
    expect(inner.lines.filter(([level]) => level === "debug")).toHaveLength(7);

    vi.setSystemTime(Date.now() + 60_000);
    log.warn("closing connection after a bad frame", { i: 10 });
    expect(inner.lines.at(-1)).toEqual(["warn", "closing connection after a bad frame", { i: 10, heldBack: 7 }]);
  });
});
