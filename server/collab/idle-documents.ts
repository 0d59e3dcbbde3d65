import * as Y from "yjs";

/**
 * Documents nobody has open, as last loaded from storage, for pages to read without loading and decoding the
 * whole document on every request. A document is forgotten as soon as a change to it is stored; one that is
 * open is read from its room instead. At most `maxDocuments` are kept, the least recently read going first.
 */
export class IdleDocumentCache {
  private readonly docs = new Map<string, Y.Doc>();
  private readonly changes = new Map<string, number>();

  constructor(private readonly maxDocuments = 8) {}

  async read(documentId: string, load: () => Promise<Uint8Array | null>): Promise<Y.Doc> {
    const cached = this.docs.get(documentId);
    if (cached) {
      this.docs.delete(documentId);
      this.docs.set(documentId, cached);
      return cached;
    }
    const changesBefore = this.changes.get(documentId) ?? 0;
    const state = await load();
    const doc = new Y.Doc();
    if (state) Y.applyUpdateV2(doc, state);
    // A change stored while loading may be missing from `state`: such a copy serves this read only.
    if ((this.changes.get(documentId) ?? 0) === changesBefore) {
      this.docs.get(documentId)?.destroy();
      this.docs.set(documentId, doc);
      for (const [oldestId, oldest] of this.docs) {
        if (this.docs.size <= this.maxDocuments) break;
        this.docs.delete(oldestId);
        oldest.destroy();
      }
    }
    return doc;
  }

  forget(documentId: string): void {
    this.changes.set(documentId, (this.changes.get(documentId) ?? 0) + 1);
    this.docs.get(documentId)?.destroy();
    this.docs.delete(documentId);
  }

  /** Forgets every document, for when changes stored by another node may have gone unannounced. */
  forgetAll(): void {
    for (const documentId of [...this.docs.keys()]) this.forget(documentId);
  }
}
