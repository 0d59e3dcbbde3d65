import * as Y from "yjs";

/** The text of the paragraph at the bottom of nestedBlockquotes. */
export const DEEP_TEXT = "Längst ner i citaten.";

/**
 * Puts `depth` blockquotes, each inside the one before, at the start of `parent`, the innermost holding a paragraph
 * (with the block id given, if any): the hostile draft of issue 12. Built from the top down, one insert per level,
 * so that building it never recurses.
 */
export function nestedBlockquotes(parent: Y.XmlFragment, depth: number, paragraphId?: string): void {
  let outer = parent;
  for (let level = 0; level < depth; level++) {
    const quote = new Y.XmlElement("blockquote");
    outer.insert(0, [quote]);
    outer = quote;
  }
  const paragraph = new Y.XmlElement("paragraph");
  if (paragraphId !== undefined) paragraph.setAttribute("id", paragraphId);
  outer.insert(0, [paragraph]);
  paragraph.insert(0, [new Y.XmlText(DEEP_TEXT)]);
}

/** A V1 update of hand-made items, in the order given, one client after the other; no deletions. */
export function encodeItems(items: Y.Item[]): Uint8Array {
  const byClient = new Map<number, Y.Item[]>();
  for (const item of items) byClient.set(item.id.client, [...(byClient.get(item.id.client) ?? []), item]);
  return encodeSections([...byClient.values()]);
}

/**
 * A V1 update with a section of structs for each array given (the items of one client, with consecutive clocks). A
 * client may have more than one section, which no Yjs encoder writes: Yjs keeps the last one when it applies them.
 */
export function encodeSections(sections: Y.Item[][]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  writeVarUint(encoder, sections.length);
  for (const structs of sections) {
    const [first] = structs;
    if (first === undefined) throw new Error("empty section");
    writeVarUint(encoder, structs.length);
    encoder.writeClient(first.id.client);
    writeVarUint(encoder, first.id.clock);
    for (const struct of structs) struct.write(encoder, 0);
  }
  writeVarUint(encoder, 0);
  return encoder.toUint8Array();
}

/**
 * A V1 update that only deletes `length` clocks from `id` on, as an editor's does when it removes an element: Yjs
 * deletes what the element holds along with it. Made by hand because deleting deep content overflows on the editor's
 * side too.
 */
export function encodeDeletion(id: Y.ID, length = 1): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  writeVarUint(encoder, 0);
  writeVarUint(encoder, 1);
  writeVarUint(encoder, id.client);
  writeVarUint(encoder, 1);
  encoder.writeDsClock(id.clock);
  encoder.writeDsLen(length);
  return encoder.toUint8Array();
}

function writeVarUint(encoder: Y.UpdateEncoderV1, value: number): void {
  // The length fields of the V1 format are plain varuints, which writeLen writes.
  encoder.writeLen(value);
}

/** The id of the last character of a text, which an item typed after it names as its origin. */
export function lastCharacterId(text: Y.XmlText): Y.ID {
  let item = text._start;
  while (item?.right) item = item.right;
  if (!item) throw new Error("empty text");
  return item.lastId;
}

/** The updates `doc` emits while `change` runs. */
export function updatesOf(doc: Y.Doc, change: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const capture = (update: Uint8Array) => updates.push(update);
  doc.on("update", capture);
  try {
    change();
  } finally {
    doc.off("update", capture);
  }
  return updates;
}
