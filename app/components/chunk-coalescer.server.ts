import { Transform, type TransformCallback } from "node:stream";

/** Joining stops at this size, so a long page still reaches the browser in pieces as it is rendered. */
const COALESCED_CHUNK_BYTES = 64 * 1024;
/** The size of React's write buffer (react-dom/server 18, VIEW_SIZE). */
const REACT_VIEW_BYTES = 2048;
/** A UTF-8 character takes at most four bytes, so at most three are left unfilled. */
const MAX_UNFILLED_BYTES = 3;

/**
 * React 18 sends its whole 2 KB buffer when a multi-byte character (å, ä, ö…) does not fit at its end, unfilled
 * bytes included: NUL characters in the page (react#24985, fixed only in React 19). A full buffer never ends in
 * NUL otherwise, since the page's text and markup have none.
 */
function withoutUnfilledBytes(chunk: Buffer): Buffer {
  if (chunk.length !== REACT_VIEW_BYTES) return chunk;
  let end = chunk.length;
  while (end > chunk.length - MAX_UNFILLED_BYTES && chunk[end - 1] === 0) end -= 1;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

/**
 * Joins the many small chunks React writes in one go (about 2 KB each) into a few large ones, without the NUL bytes
 * React 18 leaves in some of them (see withoutUnfilledBytes). Every chunk makes its
 * own trip through the web stream Remix wraps the body in and to the socket, which for a long draft cost more than
 * rendering it. What was written is passed on once React pauses (the next turn of the event loop) or the size is
 * reached, so streaming after the shell still works.
 */
export class ChunkCoalescer extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private scheduled = false;

  override _transform(written: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const chunk = withoutUnfilledBytes(written);
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= COALESCED_CHUNK_BYTES) {
      this.pushParts();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pushParts();
      });
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushParts();
    callback();
  }

  private pushParts(): void {
    if (this.size === 0) return;
    this.push(Buffer.concat(this.parts, this.size));
    this.parts = [];
    this.size = 0;
  }
}
