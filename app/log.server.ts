type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** "text" for people reading a terminal, "json" (one object per line) for a log collector. */
export type LogFormat = "text" | "json";

let threshold = ORDER.info;
let format: LogFormat = "text";

export function setLogLevel(level: Level | "silent"): void {
  threshold = ORDER[level];
}

export function setLogFormat(next: LogFormat): void {
  format = next;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LogEvent {
  time: Date;
  level: Level;
  component: string;
  message: string;
  fields?: Record<string, unknown>;
}

/**
 * One event as one line, without its line break. Text: time, level, component, message and key=value fields (an
 * error by its message). JSON: the same as an object, fields under "fields" so that none can hide the others, an error
 * as its message and stack.
 */
export function formatLogLine(event: LogEvent, as: LogFormat): string {
  const { time, level, component, message, fields } = event;
  if (as === "json") {
    const line: Record<string, unknown> = { time: time.toISOString(), level, component, message };
    if (fields) line.fields = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, jsonField(value)]));
    return JSON.stringify(line);
  }
  const extra = fields
    ? Object.entries(fields)
        .map(([key, value]) => `${key}=${value instanceof Error ? JSON.stringify(value.message) : JSON.stringify(value)}`)
        .join(" ")
    : "";
  return `${time.toISOString()} ${level.toUpperCase()} [${component}] ${message}${extra ? " " + extra : ""}`;
}

// JSON.stringify turns an Error into {}: its message and stack are what an operator needs.
function jsonField(value: unknown): unknown {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value;
}

/** One line per event on stderr, in the format set by setLogFormat (LOG_FORMAT). */
export function createLogger(component: string): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    process.stderr.write(`${formatLogLine({ time: new Date(), level, component, message, fields }, format)}\n`);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}

export interface RepeatLimit {
  /** Warn lines of one message let through per window. */
  max: number;
  windowMs: number;
}

/**
 * The logger with its warn lines limited per message: beyond `max` in a window they go to debug, and the next warn line
 * let through says how many were held back. Bad frames close their connection, so a client that keeps reconnecting
 * to send them could otherwise fill the log one connection at a time.
 */
export function limitRepeatedWarnings(log: Logger, { max, windowMs }: RepeatLimit = { max: 20, windowMs: 60_000 }): Logger {
  const windows = new Map<string, { startedAt: number; count: number; heldBack: number }>();
  return {
    ...log,
    warn(message, fields) {
      const now = Date.now();
      let window = windows.get(message);
      if (window === undefined || now - window.startedAt >= windowMs) {
        const heldBack = window?.heldBack ?? 0;
        window = { startedAt: now, count: 0, heldBack: 0 };
        windows.set(message, window);
        if (heldBack > 0) fields = { ...fields, heldBack };
      }
      if (window.count < max) {
        window.count++;
        log.warn(message, fields);
        return;
      }
      window.heldBack++;
      log.debug(message, fields);
    },
  };
}
