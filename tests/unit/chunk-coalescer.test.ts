import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { ChunkCoalescer } from "#app/components/chunk-coalescer.server";

describe("the page's byte stream", () => {
  it("passes on what React writes, joined, without the NUL bytes React 18 leaves after a split å", async () => {
    const coalescer = new ChunkCoalescer();
    const page = text(coalescer);
    // React's 2 KB buffer, full but for one byte: "ä" (two bytes) did not fit and went to the next buffer.
    const full = Buffer.alloc(2048, "a");
    full[2047] = 0;
    coalescer.write(full);
    coalescer.write(Buffer.from("ä och ö"));
    coalescer.end(Buffer.from("\0 stays in a short chunk"));
    const result = await page;
    expect(result).toBe(`${"a".repeat(2047)}ä och ö\0 stays in a short chunk`);
  });
});
