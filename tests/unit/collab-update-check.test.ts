/**
 * checkUpdate decides, before an editor's update is applied, whether it fits the draft's schema and nesting limit,
 * whether it builds on changes the server lacks, and whether Yjs could apply it at all. What editors write must
 * always pass; everything else must be refused without touching the document.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { updateYFragment } from "@tiptap/y-tiptap";
import { writeContentToYDoc, type ContentNode } from "#app/editor/content";
import { documentShape } from "#app/editor/document-shape";
import { documentSchema, MAX_NESTING_DEPTH, YJS_FRAGMENT } from "#app/editor/extensions";
import { checkUpdate, type UpdateVerdict } from "#server/collab/update-check";
import {
  deleteText,
  insertParagraph,
  insertText,
  joinBackward,
  moveBlock,
  randomDraft,
  removeBlock,
  seededBlockId,
  seededRandom,
  splitBlock,
  textblocks,
  typedWords,
  type Random,
} from "#tests/support/random-draft";
import { encodeDeletion, encodeItems, encodeSections, lastCharacterId, nestedBlockquotes, updatesOf } from "#tests/support/hostile-updates";

const paragraph = (id: string, ...content: ContentNode[]): ContentNode => ({ type: "paragraph", attrs: { id }, content });
const text = (value: string, marks?: ContentNode["marks"]): ContentNode => ({ type: "text", text: value, ...(marks ? { marks } : {}) });

function draftDoc(content: ContentNode = { type: "doc", content: [paragraph("p1", text("Första stycket.")), paragraph("p2", text("Andra."))] }): Y.Doc {
  const doc = new Y.Doc();
  writeContentToYDoc(content, doc);
  return doc;
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}

/** The one update `change` makes to `doc`, as the client would send it. */
function changeOf(doc: Y.Doc, change: (fragment: Y.XmlFragment) => void): Uint8Array {
  const [update, ...more] = updatesOf(doc, () => doc.transact(() => change(doc.getXmlFragment(YJS_FRAGMENT))));
  if (update === undefined || more.length > 0) throw new Error("expected one update");
  return update;
}

const refused = (reason: string | RegExp): UpdateVerdict => ({ kind: "refuse", reason: expect.stringMatching(reason) as unknown as string });

describe("checkUpdate", () => {
  it("lets through what a Tiptap editor writes: text, marks, links, headings, lists, quotes, code, breaks and rules", () => {
    const server = draftDoc();
    const client = replicaOf(server);
    const meta = { mapping: new Map(), isOMark: new Map() };
    const steps: ContentNode[] = [
      { type: "doc", content: [paragraph("p1", text("Första "), text("fetstilta", [{ type: "bold" }]), text(" stycket.")), paragraph("p2", text("Andra."))] },
      {
        type: "doc",
        content: [
          { type: "heading", attrs: { id: "h1", level: 2 }, content: [text("Rubrik")] },
          paragraph("p1", text("Se "), text("länken", [{ type: "link", attrs: { href: "https://example.org", target: "_blank", rel: null, class: null } }]), { type: "hardBreak" }, text("och mer.")),
          { type: "horizontalRule" },
          paragraph("p2", text("Andra, ändrat."), { type: "hardBreak" }),
        ],
      },
      {
        type: "doc",
        content: [
          { type: "heading", attrs: { id: "h1", level: 3 }, content: [text("Rubrik")] },
          {
            type: "blockquote",
            attrs: { id: "q1" },
            content: [
              paragraph("p1", text("Citerat.", [{ type: "italic" }, { type: "strike" }, { type: "underline" }])),
              {
                type: "bulletList",
                content: [
                  {
                    type: "listItem",
                    attrs: { id: "l1" },
                    content: [
                      paragraph("p3", text("Punkt ett")),
                      { type: "orderedList", attrs: { start: 3, type: null }, content: [{ type: "listItem", attrs: { id: "l2" }, content: [paragraph("p4", text("Inre"))] }] },
                    ],
                  },
                ],
              },
            ],
          },
          { type: "codeBlock", attrs: { id: "c1", language: "ts" }, content: [text("const x = 1;")] },
          paragraph("p5", text("kod", [{ type: "code" }])),
        ],
      },
      { type: "doc", content: [paragraph("p2", text("Bara ett stycke kvar."))] },
    ];
    for (const step of steps) {
      const node: ProseMirrorNode = documentSchema.nodeFromJSON(step);
      node.check();
      const update = changeOf(client, (fragment) => updateYFragment(client, fragment, node, meta));
      expect(checkUpdate(server, update, documentShape)).toEqual({ kind: "apply" });
      Y.applyUpdate(server, update);
    }
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(client));
  });

  describe.each([1, 2, 3])("editors typing, splitting, joining, moving and deleting blocks at random, seed %i", (seed) => {
    it("never has an update refused; one that builds on what has not arrived yet waits for a resync that applies", () => {
      const random = seededRandom(seed);
      const server = draftDoc(randomDraft(random, 25));
      const clients = [1, 2, 3].map((client) => {
        const doc = replicaOf(server);
        doc.clientID = seed * 10 + client;
        return doc;
      });
      // What each client has sent that the server has not received yet; what the server has applied that a client has not.
      const outbox = clients.map(() => [] as Uint8Array[]);
      const inbox = clients.map(() => [] as Uint8Array[]);
      const verdicts = { apply: 0, incomplete: 0 };
      const receive = (from: number, update: Uint8Array): void => {
        const verdict = checkUpdate(server, update, documentShape);
        expect(verdict.kind).not.toBe("refuse");
        if (verdict.kind === "refuse") return;
        verdicts[verdict.kind]++;
        const client = clients[from];
        if (client === undefined) return;
        // The server asks for a sync step 2, which holds everything it lacks from that client.
        const applied = verdict.kind === "apply" ? update : Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
        if (verdict.kind === "incomplete") expect(checkUpdate(server, applied, documentShape)).toEqual({ kind: "apply" });
        Y.applyUpdate(server, applied);
        inbox.forEach((queue, to) => to !== from && queue.push(applied));
      };
      for (let step = 0; step < 200; step++) {
        const index = random.int(clients.length);
        const client = clients[index];
        if (client === undefined) continue;
        const update = randomEdit(random, client);
        if (update !== null) outbox[index]?.push(update);
        // Updates reach the server late and out of order, and the server's reach the clients late.
        const sending = outbox[random.int(clients.length)];
        if (sending !== undefined && sending.length > 0 && random.chance(0.6)) {
          const sender = outbox.indexOf(sending);
          receive(sender, sending.splice(random.int(sending.length), 1)[0] ?? new Uint8Array());
        }
        const receiving = random.int(clients.length);
        const queue = inbox[receiving];
        if (queue !== undefined && random.chance(0.5)) for (const update of queue.splice(0)) Y.applyUpdate(clients[receiving] ?? new Y.Doc(), update);
      }
      outbox.forEach((queue, from) => queue.splice(0).forEach((update) => receive(from, update)));
      for (const [index, client] of clients.entries()) for (const update of inbox[index]?.splice(0) ?? []) Y.applyUpdate(client, update);
      for (const client of clients) expect(client.getXmlFragment(YJS_FRAGMENT).toJSON()).toBe(server.getXmlFragment(YJS_FRAGMENT).toJSON());
      expect(verdicts.incomplete).toBeGreaterThan(0);
      expect(verdicts.apply).toBeGreaterThan(100);
    });
  });

  it.each<[string, (fragment: Y.XmlFragment, doc: Y.Doc) => void, UpdateVerdict]>([
    ["an unknown node type", (fragment) => fragment.insert(0, [new Y.XmlElement("script")]), refused(/unknown node type "script"/)],
    ["an unknown node type with a long name, named short in the log", (fragment) => fragment.insert(0, [new Y.XmlElement("x".repeat(10_000))]), refused(/^unknown node type "x{40}…"$/)],
    ["an unknown node type deep inside a known one", (fragment) => (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("iframe")]), refused(/unknown node type/)],
    ["a node where the schema does not allow it", (fragment) => (fragment.get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("paragraph")]), refused(/"paragraph" where/)],
    ["text directly in the document", (fragment) => fragment.insert(0, [new Y.XmlText("lös text")]), refused(/text where the schema allows none/)],
    ["an attribute no node has", (fragment) => (fragment.get(0) as Y.XmlElement).setAttribute("onclick", "alert(1)"), refused(/unknown attribute "onclick"/)],
    ["a mark the schema does not have", (fragment) => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 3, { blink: {} }), refused(/unknown mark "blink"/)],
    ["an embedded object in text", (fragment) => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(0, { image: "x" }), refused(/other than text/)],
    ["a map in place of an element", (fragment) => fragment.insert(0, [new Y.XmlHook("hook") as unknown as Y.XmlElement]), refused(/type the document schema does not have/)],
    ["another root type", (_fragment, doc) => doc.getMap("extra").set("key", "value"), refused(/unknown root "extra"/)],
    ["a second fragment", (_fragment, doc) => doc.getXmlFragment("shadow").insert(0, [new Y.XmlElement("paragraph")]), refused(/unknown root "shadow"/)],
    [`elements nested ${MAX_NESTING_DEPTH + 1} deep in one update`, (fragment) => nestedBlockquotes(fragment, MAX_NESTING_DEPTH), refused(/nested deeper than 100/)],
  ])("refuses %s", (_description, change, verdict) => {
    const server = draftDoc();
    const client = replicaOf(server);
    const update = updatesOf(client, () => client.transact(() => change(client.getXmlFragment(YJS_FRAGMENT), client)));
    expect(update).toHaveLength(1);
    expect(checkUpdate(server, update[0] ?? new Uint8Array(), documentShape)).toEqual(verdict);
  });

  it("lets elements nest exactly to the limit, and counts the nesting a document already has", () => {
    const server = draftDoc();
    const client = replicaOf(server);
    // Quotes at depths 1 to 99, their paragraph at 100.
    const nested = changeOf(client, (fragment) => nestedBlockquotes(fragment, MAX_NESTING_DEPTH - 1));
    expect(checkUpdate(server, nested, documentShape)).toEqual({ kind: "apply" });
    Y.applyUpdate(server, nested);
    let innermost = client.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
    for (let child = innermost.get(0); child instanceof Y.XmlElement && child.nodeName === "blockquote"; child = innermost.get(0)) innermost = child;
    const quoteAtTheLimit = changeOf(client, () => innermost.insert(1, [new Y.XmlElement("blockquote")]));
    expect(checkUpdate(server, quoteAtTheLimit, documentShape)).toEqual({ kind: "apply" });
    Y.applyUpdate(server, quoteAtTheLimit);
    const oneTooDeep = changeOf(client, () => (innermost.get(1) as Y.XmlElement).insert(0, [new Y.XmlElement("paragraph")]));
    expect(checkUpdate(server, oneTooDeep, documentShape)).toEqual(refused(/nested deeper than 100/));
  });

  it("waits for what an update builds on: a missing predecessor or the deletion of unseen text", () => {
    const server = draftDoc();
    const client = replicaOf(server);
    const block = client.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
    const first = changeOf(client, () => insertText(block, 0, "Ett "));
    const second = changeOf(client, () => insertText(block, 2, "två "));
    const deletesFirst = changeOf(client, () => deleteText(block, 0, 2));
    expect(checkUpdate(server, second, documentShape)).toEqual({ kind: "incomplete" });
    expect(checkUpdate(server, deletesFirst, documentShape)).toEqual({ kind: "incomplete" });
    expect(checkUpdate(server, first, documentShape)).toEqual({ kind: "apply" });
    expect(checkUpdate(server, Y.mergeUpdates([first, second, deletesFirst]), documentShape)).toEqual({ kind: "apply" });
  });

  it("lets a deletion through whose subtree is within the limit, and refuses one that would recurse through deeper nesting", () => {
    const legacy = new Y.Doc();
    writeContentToYDoc({ type: "doc", content: [paragraph("p1", text("Före."))] }, legacy);
    // As an older server, which checked nothing, may have stored it.
    legacy.transact(() => nestedBlockquotes(legacy.getXmlFragment(YJS_FRAGMENT), 5_000));
    const client = replicaOf(legacy);
    const deletesParagraph = changeOf(client, (fragment) => fragment.delete(1, 1));
    const quotes = legacy.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
    const deletesQuotes = encodeDeletion(quotes._item?.id ?? Y.createID(0, 0));
    expect(checkUpdate(legacy, deletesParagraph, documentShape)).toEqual({ kind: "apply" });
    expect(checkUpdate(legacy, deletesQuotes, documentShape)).toEqual(refused(/deletes elements nested deeper than 100/));
  });

  describe("structs Yjs would trust blindly", () => {
    const server = draftDoc();
    const first = server.getXmlFragment(YJS_FRAGMENT).get(0) as Y.XmlElement;
    const second = server.getXmlFragment(YJS_FRAGMENT).get(1) as Y.XmlElement;
    const firstText = first.get(0) as Y.XmlText;
    const secondText = second.get(0) as Y.XmlText;
    const client = 4242;

    it("refuses an item between neighbours in two different paragraphs", () => {
      const update = encodeItems([new Y.Item(Y.createID(client, 0), null, lastCharacterId(firstText), null, secondText._start?.id ?? null, null, null, new Y.ContentString("x"))]);
      expect(checkUpdate(server, update, documentShape)).toEqual(refused(/neighbours are in different places/));
    });

    it("refuses a reference to a later struct of the same client, which Yjs looks up without checking and throws on midway", () => {
      const update = encodeItems([
        new Y.Item(Y.createID(client, 0), null, lastCharacterId(firstText), null, null, null, null, new Y.ContentString("a")),
        new Y.Item(Y.createID(client, 1), null, Y.createID(client, 5), null, null, null, null, new Y.ContentString("b")),
      ]);
      expect(checkUpdate(server, update, documentShape)).toEqual(refused(/refers to itself or to a later one/));
    });

    it("refuses structs of two clients that wait for each other", () => {
      const update = encodeItems([
        new Y.Item(Y.createID(client, 0), null, Y.createID(client + 1, 0), null, null, null, null, new Y.ContentString("a")),
        new Y.Item(Y.createID(client + 1, 0), null, Y.createID(client, 0), null, null, null, null, new Y.ContentString("b")),
      ]);
      expect(checkUpdate(server, update, documentShape)).toEqual(refused(/in a cycle/));
    });

    it("refuses structs of one client that overlap, which Yjs would put next to each other", () => {
      const update = encodeSections([
        [new Y.Item(Y.createID(client, 0), null, lastCharacterId(firstText), null, null, null, null, new Y.ContentString("abc"))],
        [new Y.Item(Y.createID(client, 1), null, lastCharacterId(secondText), null, null, null, null, new Y.ContentString("x"))],
      ]);
      expect(checkUpdate(server, update, documentShape)).toEqual(refused(/structs of one client overlap/));
    });

    it("refuses an item whose parent is a text run rather than a type", () => {
      const update = encodeItems([new Y.Item(Y.createID(client, 0), null, null, null, null, lastCharacterId(firstText), null, new Y.ContentString("x"))]);
      expect(checkUpdate(server, update, documentShape)).toEqual(refused(/parent is not a type/));
    });

    it("lets a well-formed item through", () => {
      const update = encodeItems([new Y.Item(Y.createID(client, 0), null, lastCharacterId(firstText), null, null, null, null, new Y.ContentString("!"))]);
      expect(checkUpdate(server, update, documentShape)).toEqual({ kind: "apply" });
    });
  });
});

function randomEdit(random: Random, doc: Y.Doc): Uint8Array | null {
  const blocks = textblocks(doc);
  const block = random.pick(blocks);
  const length = block.toArray().reduce((sum, child) => sum + (child instanceof Y.XmlText ? child.length : 1), 0);
  const roll = random.next();
  const [update] = updatesOf(doc, () =>
    doc.transact(() => {
      if (roll < 0.45) insertText(block, random.int(length + 1), typedWords(random, random.between(1, 3)));
      else if (roll < 0.6 && length > 1) deleteText(block, random.int(length - 1), length);
      else if (roll < 0.7 && length > 2) splitBlock(block, random.between(1, length - 1), seededBlockId(random));
      else if (roll < 0.78 && blocks.length > 3) joinBackward(doc, block);
      else if (roll < 0.86) moveBlock(block, random);
      else if (roll < 0.93 && blocks.length > 3) removeBlock(block);
      else insertParagraph(doc, random.int(doc.getXmlFragment(YJS_FRAGMENT).length + 1), seededBlockId(random), typedWords(random, 3));
    }),
  );
  return update ?? null;
}
