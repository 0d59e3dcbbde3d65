import { strFromU8, unzipSync } from "fflate";

/** The files of a zip archive (a .docx is one) as text, read by fflate: enough for tests to look into a file the app made. */
export function unzip(archive: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(archive)).map(([name, bytes]) => [name, strFromU8(bytes)]));
}
