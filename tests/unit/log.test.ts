import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, formatLogLine, limitRepeatedWarnings, setLogFormat, type Logger } from "#app/log.server";

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

describe("log lines for a log collector (LOG_FORMAT=json)", () => {
  const time = new Date("2026-03-02T09:15:00.000Z");

  afterEach(() => {
    setLogFormat("text");
    vi.restoreAllMocks();
  });

  it("writes one JSON object per line: time, level, component, message and fields", () => {
    const line = formatLogLine({ time, level: "warn", component: "collab", message: "closing a connection", fields: { documentId: "d1", bufferedAmount: 42 } }, "json");
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({
      time: "2026-03-02T09:15:00.000Z",
      level: "warn",
      component: "collab",
      message: "closing a connection",
      fields: { documentId: "d1", bufferedAmount: 42 },
    });
  });

  it("gives an error's message and stack, which plain JSON would drop", () => {
    const error = new Error("connection terminated\nunexpectedly");
    const parsed = JSON.parse(formatLogLine({ time, level: "error", component: "store", message: "write failed", fields: { error } }, "json")) as {
      fields: { error: { message: string; stack: string } };
    };
    expect(parsed.fields.error.message).toBe("connection terminated\nunexpectedly");
    expect(parsed.fields.error.stack).toContain("log.test.ts");
  });

  it("leaves out fields when there are none, and a field cannot pass for the message", () => {
    expect(JSON.parse(formatLogLine({ time, level: "info", component: "samrad", message: "stopped" }, "json"))).toEqual({
      time: "2026-03-02T09:15:00.000Z",
      level: "info",
      component: "samrad",
      message: "stopped",
    });
    const spoofed = JSON.parse(formatLogLine({ time, level: "info", component: "http", message: "real", fields: { message: "fake" } }, "json")) as Record<string, unknown>;
    expect(spoofed.message).toBe("real");
  });

  it("keeps the text format by default and switches for every logger once set", () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const log = createLogger("ops-test");
    log.info("text line", { n: 1 });
    setLogFormat("json");
    log.info("json line", { n: 2 });
    expect(written[0]).toMatch(/^\S+ INFO \[ops-test\] text line n=1\n$/);
    expect(written[1]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(written[1] ?? "")).toMatchObject({ level: "info", component: "ops-test", message: "json line", fields: { n: 2 } });
  });
});
