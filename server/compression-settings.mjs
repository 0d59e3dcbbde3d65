// Shared by server/compression.ts and server/build.mjs, which must run before anything is compiled: plain JavaScript.

/** Smaller answers gain less than the encoding header and the compressor's framing cost. */
export const MIN_COMPRESSED_BYTES = 1024;
