/**
 * The Yjs–ProseMirror binding with the project's patch (decision 0012), scenario by scenario: where a person's caret
 * and typing end up when someone else's change arrives. Two editors on two Y.Docs; each one's updates reach the other
 * only when the test says so, so that a change can be "in flight" while the other person acts.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { BoundEditor } from "#tests/support/bound-editor";

class Pair {
  readonly a: BoundEditor;
  readonly b: BoundEditor;
  private readonly toA: Uint8Array[] = [];
  private readonly toB: Uint8Array[] = [];

  constructor(paragraphs: string[]) {
    const seed = new Y.Doc();
    const content: ContentNode = {
      type: "doc",
      content: paragraphs.map((text, index) => ({
        type: "paragraph",
        attrs: { id: `bpara${String(index).padStart(6, "0")}` },
        content: text ? [{ type: "text", text }] : [],
      })),
    };
    writeContentToYDoc(content, seed);
    const [docA, docB] = [1, 2].map((clientID) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
      return doc;
    }) as [Y.Doc, Y.Doc];
    docA.on("update", (update: Uint8Array, origin: unknown) => origin !== this && this.toB.push(update));
    docB.on("update", (update: Uint8Array, origin: unknown) => origin !== this && this.toA.push(update));
    this.a = new BoundEditor(docA);
    this.b = new BoundEditor(docB);
  }

  /** Delivers what each has sent the other, one update at a time, until both are quiet. */
  async sync(): Promise<void> {
    while (this.toA.length > 0 || this.toB.length > 0) {
      for (const update of this.toA.splice(0)) {
        Y.applyUpdate(this.a.doc, update, this);
        await Promise.resolve();
      }
      for (const update of this.toB.splice(0)) {
        Y.applyUpdate(this.b.doc, update, this);
        await Promise.resolve();
      }
    }
  }

  /** Delivers only what `from` has sent so far to the other. */
  async deliverFrom(from: "a" | "b"): Promise<void> {
    const [queue, target] = from === "a" ? [this.toB, this.b] : [this.toA, this.a];
    for (const update of queue.splice(0)) {
      Y.applyUpdate(target.doc, update, this);
      await Promise.resolve();
    }
  }

  texts(): { a: string[]; b: string[] } {
    return { a: this.a.blockTexts(), b: this.b.blockTexts() };
  }
}

describe("the binding keeps each person's caret and typing where they put them", () => {
  it("keeps both texts intact when one person types at the start of a paragraph and another in its middle", async () => {
    const pair = new Pair(["The quick brown fox jumps over the lazy dog."]);
    pair.a.placeCaret(0, 0);
    pair.b.placeCaret(0, 20);
    const typedByA = "[alpha0 one two three]";
    const typedByB = "[beta0 four five six]";
    for (let index = 0; index < typedByA.length; index++) {
      pair.a.type(typedByA[index] ?? "");
      pair.b.type(typedByB[index] ?? "");
      await pair.sync();
    }
    const expected = `${typedByA}The quick brown fox ${typedByB}jumps over the lazy dog.`;
    expect(pair.texts()).toEqual({ a: [expected], b: [expected] });
  });

  it("keeps a caret where it was when another person types earlier in the paragraph", async () => {
    const pair = new Pair(["one two three"]);
    pair.b.placeCaret(0, 8);
    pair.a.placeCaret(0, 0);
    pair.a.type("zero ");
    await pair.sync();
    expect(pair.b.caret()).toEqual({ block: 0, offset: 13 });
  });

  it("moves what one person typed, and their caret, with the text when another splits the paragraph before it", async () => {
    const pair = new Pair(["first half second half"]);
    pair.a.placeCaret(0, 17);
    pair.b.placeCaret(0, 11);
    // B's Enter and A's typing cross: neither has seen the other's.
    pair.b.pressEnter();
    pair.a.type("XYZ");
    await pair.sync();
    pair.a.type("!");
    await pair.sync();
    expect(pair.texts()).toEqual({ a: ["first half ", "secondXYZ! half"], b: ["first half ", "secondXYZ! half"] });
    expect(pair.a.caret()).toEqual({ block: 1, offset: 10 });
  });

  it("keeps what one person typed into a paragraph that another joins to the one before", async () => {
    const pair = new Pair(["first", "second"]);
    pair.a.placeCaret(1, 3);
    pair.b.placeCaret(1, 0);
    pair.b.pressBackspace();
    pair.a.type("XYZ");
    await pair.sync();
    expect(pair.texts()).toEqual({ a: ["firstsecXYZond"], b: ["firstsecXYZond"] });
  });

  it("moves what one person typed with the text when another pastes lines before it", async () => {
    const pair = new Pair(["alpha beta gamma"]);
    pair.a.placeCaret(0, 10);
    pair.b.placeCaret(0, 5);
    pair.b.paste("one\ntwo");
    pair.a.type("XY");
    await pair.sync();
    expect(pair.texts()).toEqual({ a: ["alphaone", "two betaXY gamma"], b: ["alphaone", "two betaXY gamma"] });
  });

  it("keeps a caret in its block when another person moves the block", async () => {
    const pair = new Pair(["first", "second", "third"]);
    pair.a.placeCaret(0, 3);
    const { state } = pair.b;
    const first = state.doc.child(0);
    const moved = state.tr.delete(0, first.nodeSize);
    moved.insert(moved.doc.content.size, first);
    pair.b.dispatch(moved);
    await pair.sync();
    expect(pair.texts().a).toEqual(["second", "third", "first"]);
    expect(pair.a.caret()).toEqual({ block: 2, offset: 3 });
  });

  it("puts a caret where deleted text was when another person deletes the text around it", async () => {
    const pair = new Pair(["hello big world"]);
    pair.a.placeCaret(0, 9);
    pair.b.deleteText(0, 6, 10);
    await pair.sync();
    expect(pair.texts().a).toEqual(["hello world"]);
    expect(pair.a.caret()).toEqual({ block: 0, offset: 6 });
  });

  it("keeps a character typed before an equal one on the side of the caret it was typed on", async () => {
    const pair = new Pair(["a<b"]);
    // B's caret sits after the "<"; A types another "<" before it, so that the text reads "a<<b".
    pair.b.placeCaret(0, 2);
    pair.a.placeCaret(0, 1);
    pair.a.type("<");
    await pair.deliverFrom("a");
    pair.b.type("x");
    await pair.sync();
    // Written after the old "<" (what a plain diff of "a<b" and "a<<b" says), A's "<" would sit where B's caret
    // is, and B's "x" would land between the two.
    expect(pair.texts()).toEqual({ a: ["a<<xb"], b: ["a<<xb"] });
  });
});
