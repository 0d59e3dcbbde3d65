import { describe, expect, it } from "vitest";
import { isCompressibleType, negotiateEncoding } from "#server/compression";

describe("negotiateEncoding", () => {
  it("answers in identity when the client names no encoding", () => {
    expect(negotiateEncoding(undefined)).toBe("identity");
    expect(negotiateEncoding("")).toBe("identity");
    expect(negotiateEncoding("identity")).toBe("identity");
    expect(negotiateEncoding("deflate")).toBe("identity");
  });

  it("prefers brotli, falls back to gzip", () => {
    expect(negotiateEncoding("gzip, deflate, br")).toBe("br");
    expect(negotiateEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(negotiateEncoding("gzip, deflate")).toBe("gzip");
    expect(negotiateEncoding("x-gzip")).toBe("gzip");
    expect(negotiateEncoding("BR")).toBe("br");
  });

  it("follows q-values, and never picks an encoding the client refuses", () => {
    expect(negotiateEncoding("br;q=0.5, gzip;q=0.8")).toBe("gzip");
    expect(negotiateEncoding("br;q=0, gzip")).toBe("gzip");
    expect(negotiateEncoding("br;q=0, gzip;q=0")).toBe("identity");
    expect(negotiateEncoding("gzip;q=1.0, br ; q=0.9")).toBe("gzip");
    expect(negotiateEncoding("br;q=nonsense, gzip")).toBe("gzip");
  });

  it("reads the wildcard as every encoding not named", () => {
    expect(negotiateEncoding("*")).toBe("br");
    expect(negotiateEncoding("br;q=0, *")).toBe("gzip");
    expect(negotiateEncoding("*;q=0")).toBe("identity");
  });

  it("keeps identity when the client ranks it above every encoding", () => {
    expect(negotiateEncoding("identity;q=1, br;q=0.5")).toBe("identity");
    expect(negotiateEncoding("identity;q=0.1, br;q=0.5")).toBe("br");
  });

  it("chooses only among the encodings on offer", () => {
    expect(negotiateEncoding("br, gzip", ["gzip"])).toBe("gzip");
    expect(negotiateEncoding("br", ["gzip"])).toBe("identity");
    expect(negotiateEncoding("br, gzip", [])).toBe("identity");
  });
});

describe("isCompressibleType", () => {
  it("compresses text formats but never event streams or binary formats", () => {
    for (const type of ["text/html; charset=utf-8", "text/csv", "text/markdown; charset=utf-8", "application/json", "application/javascript", "image/svg+xml", "application/manifest+json"]) {
      expect(isCompressibleType(type), type).toBe(true);
    }
    for (const type of ["text/event-stream", "text/event-stream; charset=utf-8", "image/png", "application/zip", "font/woff2", "", null, undefined]) {
      expect(isCompressibleType(type), String(type)).toBe(false);
    }
  });
});
