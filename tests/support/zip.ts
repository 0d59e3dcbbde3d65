import { inflateRawSync } from "node:zlib";

/**
 * The files of a zip archive (a .docx is one), read through its central directory: enough for tests to look into
 * a file the app made. Handles the two methods Office files use, stored and deflated; no zip64, no encryption.
 */
export function unzip(archive: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive: no end of central directory");
  const count = bytes.readUInt16LE(end + 10);
  let entry = bytes.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(entry) !== 0x02014b50) throw new Error("broken central directory");
    const method = bytes.readUInt16LE(entry + 10);
    const compressedSize = bytes.readUInt32LE(entry + 20);
    const nameLength = bytes.readUInt16LE(entry + 28);
    const extraLength = bytes.readUInt16LE(entry + 30);
    const commentLength = bytes.readUInt16LE(entry + 32);
    const localHeader = bytes.readUInt32LE(entry + 42);
    const name = bytes.toString("utf8", entry + 46, entry + 46 + nameLength);
    const dataStart = localHeader + 30 + bytes.readUInt16LE(localHeader + 26) + bytes.readUInt16LE(localHeader + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`unsupported compression method ${method} for ${name}`);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString("utf8"));
    entry += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
