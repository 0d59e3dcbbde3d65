/**
 * What an editor's update would do to a document, decided before it is applied. Yjs applies an update struct by
 * struct and trusts it: a struct that refers to something it cannot find, or that sits between neighbours of two
 * different parents, makes it throw halfway or corrupt its lists, and it checks nothing against a schema. So every
 * new struct is placed here first, from the document and the update alone (no copy of the document is made), and
 * checked against the document's shape: which elements may hold which, their attributes, the marks of text and how
 * deeply elements nest. A deletion that would recurse through nesting deeper than that is refused too: Yjs deletes
 * and collects a subtree recursively, which deep enough content overflows midway.
 */
import * as Y from "yjs";
import type { ContainerRule, DocumentShape } from "#app/editor/document-shape";
import type { DecodedUpdate } from "./protocol";

export type UpdateVerdict =
  | { kind: "apply" }
  /**
   * It builds on structs that neither the document nor the update holds. Yjs would keep such parts pending, to be
   * integrated later by some other update without a check; the sender has those structs and can send them.
   */
  | { kind: "incomplete" }
  | { kind: "refuse"; reason: string };

const APPLY: UpdateVerdict = { kind: "apply" };
const INCOMPLETE: UpdateVerdict = { kind: "incomplete" };

/** What holds a new item: a root type by name, a type already in the document, or a type the update creates. */
type Container = { kind: "root"; name: string } | { kind: "existing"; type: Y.AbstractType<unknown> } | { kind: "new"; index: number };

/** Where Yjs will put a new item. "collected": next to or inside collected content, so Yjs turns it into a GC. */
type Place = { kind: "in"; container: Container; key: string | null } | { kind: "collected" } | { kind: "unknown" };

const COLLECTED: Place = { kind: "collected" };
const UNKNOWN: Place = { kind: "unknown" };

interface NewItem {
  item: Y.Item;
  /** How much of its start the document already has (Yjs integrates the rest). */
  offset: number;
}

interface Facts {
  rule: ContainerRule | "text";
  /** Elements between the root and the container's children, the container included. */
  depth: number;
}

type DeleteSet = DecodedUpdate["ds"];

class Refusal extends Error {}

export function checkUpdate(doc: Y.Doc, update: Uint8Array, shape: DocumentShape): UpdateVerdict {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { kind: "refuse", reason: "update does not decode" };
  }
  return checkDecodedUpdate(doc, decoded, shape);
}

/** checkUpdate for an update already decoded (decodeMessage does that); it only reads `decoded`. */
export function checkDecodedUpdate(doc: Y.Doc, decoded: DecodedUpdate, shape: DocumentShape): UpdateVerdict {
  try {
    return new UpdateCheck(doc, shape, decoded.structs).run(decoded.ds);
  } catch (error) {
    if (error instanceof Refusal) return { kind: "refuse", reason: error.message };
    throw error;
  }
}

class UpdateCheck {
  private readonly store: Y.Doc["store"];
  /** The update's structs of each client, in clock order, with the index of the new items among them. */
  private readonly byClient = new Map<number, Array<{ struct: Y.Item | Y.GC; newIndex: number | null }>>();
  private readonly items: NewItem[] = [];
  /** Clocks each client reaches once the update is applied, for the clients whose structs follow on without a gap. */
  private readonly reach = new Map<number, number>();
  private readonly gapped = new Set<number>();
  private readonly places: Array<Place | undefined> = [];
  private readonly depths: number[] = [];
  private readonly existingFacts = new Map<Y.AbstractType<unknown>, Facts>();
  private incomplete = false;

  constructor(
    private readonly doc: Y.Doc,
    private readonly shape: DocumentShape,
    structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>,
  ) {
    this.store = doc.store;
    for (const struct of structs) {
      // A Skip is a gap that merged updates leave between structs; it carries nothing.
      if (struct instanceof Y.Skip) continue;
      const { client, clock } = struct.id;
      let list = this.byClient.get(client);
      if (list === undefined) this.byClient.set(client, (list = []));
      const previous = list[list.length - 1]?.struct;
      // Yjs would integrate an overlapping struct next to the one before it in the update, not where it says it goes.
      if (previous !== undefined && clock < previous.id.clock + previous.length) throw new Refusal("structs of one client overlap");
      const known = Y.getState(this.store, client);
      const reach = this.reach.get(client) ?? known;
      let newIndex: number | null = null;
      if (clock + struct.length > known) {
        // Yjs keeps what comes after a gap pending until the gap is filled.
        if (clock > reach || this.gapped.has(client)) this.gapped.add(client);
        else if (struct instanceof Y.Item) newIndex = this.items.push({ item: struct, offset: Math.max(0, known - clock) }) - 1;
        if (!this.gapped.has(client)) this.reach.set(client, Math.max(reach, clock + struct.length));
      }
      list.push({ struct, newIndex });
    }
    if (this.gapped.size > 0) this.incomplete = true;
  }

  run(ds: DeleteSet): UpdateVerdict {
    for (let index = 0; index < this.items.length; index++) this.resolve(index);
    this.checkDeletions(ds);
    return this.incomplete ? INCOMPLETE : APPLY;
  }

  /** Places and checks item `index` after the new items it depends on, with a stack rather than recursion. */
  private resolve(first: number): void {
    const stack = [first];
    const entered = new Set<number>();
    while (stack.length > 0) {
      const index = stack[stack.length - 1] ?? first;
      if (this.places[index] !== undefined) {
        stack.pop();
        continue;
      }
      const waiting = this.dependencies(index).filter((dependency) => this.places[dependency] === undefined);
      if (waiting.length === 0) {
        this.places[index] = this.place(index);
        this.checkContent(index);
        stack.pop();
        continue;
      }
      // Yjs could never integrate structs that wait for each other.
      if (entered.has(index)) throw new Refusal("structs refer to each other in a cycle");
      entered.add(index);
      stack.push(...waiting);
    }
  }

  /** The new items this one's parent or neighbours are. */
  private dependencies(index: number): number[] {
    const { item } = this.item(index);
    const references = [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null];
    const dependencies: number[] = [];
    for (const id of references) {
      if (id === null) continue;
      if (id.client === item.id.client && id.clock >= item.id.clock) {
        // Yjs looks up a same-client reference without checking that it exists, and throws midway when it does not.
        throw new Refusal("a struct refers to itself or to a later one");
      }
      const found = this.isKnown(id) ? null : this.inUpdate(id);
      if (found?.newIndex !== null && found?.newIndex !== undefined) dependencies.push(found.newIndex);
    }
    return dependencies;
  }

  private place(index: number): Place {
    const { item, offset } = this.item(index);
    if (item.origin === null && item.rightOrigin === null) {
      if (typeof item.parent === "string") return { kind: "in", container: { kind: "root", name: item.parent }, key: item.parentSub };
      if (!(item.parent instanceof Y.ID)) return COLLECTED;
      return this.placeIn(item.parent, item.parentSub);
    }
    const left = item.origin === null ? null : this.placeBeside(item.origin);
    const right = item.rightOrigin === null ? null : this.placeBeside(item.rightOrigin);
    if (left?.kind === "unknown" || right?.kind === "unknown") return UNKNOWN;
    if (left?.kind === "collected" || right?.kind === "collected") return COLLECTED;
    const place = left ?? right ?? COLLECTED;
    if (left !== null && right !== null && !samePlace(left, right)) throw new Refusal("a struct's neighbours are in different places");
    if (offset > 0) {
      // Yjs puts what it does not have yet right after the part it has, whatever the struct says its neighbours are.
      const before = this.placeBeside(Y.createID(item.id.client, item.id.clock + offset - 1));
      if (before.kind !== "in" || !samePlace(place, before)) throw new Refusal("a struct continues one that is gone or elsewhere");
    }
    return place;
  }

  /** The place of a child of the type that the item `id` holds. */
  private placeIn(id: Y.ID, key: string | null): Place {
    if (this.isKnown(id)) {
      const parent = Y.getItem(this.store, id) as Y.Item | Y.GC;
      if (parent instanceof Y.GC) return COLLECTED;
      if (!(parent.content instanceof Y.ContentType)) throw new Refusal("a struct's parent is not a type");
      return { kind: "in", container: this.containerOf(parent.content.type), key };
    }
    const found = this.inUpdate(id);
    if (found === null || found.newIndex === null) return found?.struct instanceof Y.GC ? COLLECTED : UNKNOWN;
    const parentPlace = this.places[found.newIndex];
    if (parentPlace === undefined || parentPlace.kind !== "in") return parentPlace ?? UNKNOWN;
    if (!(this.item(found.newIndex).item.content instanceof Y.ContentType)) throw new Refusal("a struct's parent is not a type");
    return { kind: "in", container: { kind: "new", index: found.newIndex }, key };
  }

  /** The place of the struct `id`, which a new item is put next to. */
  private placeBeside(id: Y.ID): Place {
    if (this.isKnown(id)) {
      const neighbour = Y.getItem(this.store, id) as Y.Item | Y.GC;
      if (neighbour instanceof Y.GC || !(neighbour.parent instanceof Y.AbstractType)) return COLLECTED;
      return { kind: "in", container: this.containerOf(neighbour.parent), key: neighbour.parentSub };
    }
    const found = this.inUpdate(id);
    if (found === null) return UNKNOWN;
    if (found.newIndex === null) return found.struct instanceof Y.GC ? COLLECTED : UNKNOWN;
    return this.places[found.newIndex] ?? UNKNOWN;
  }

  private containerOf(type: Y.AbstractType<unknown>): Container {
    return type._item === null ? { kind: "root", name: Y.findRootTypeKey(type) } : { kind: "existing", type };
  }

  private checkContent(index: number): void {
    const place = this.places[index];
    if (place === undefined || place.kind === "collected") return;
    if (place.kind === "unknown") {
      this.incomplete = true;
      return;
    }
    const { content } = this.item(index).item;
    // Deleted content only keeps the clocks; it never shows.
    if (content instanceof Y.ContentDeleted) return;
    const { rule, depth } = this.facts(place.container);
    if (rule === "text") {
      if (place.key !== null) throw new Refusal("a text has attributes");
      if (content instanceof Y.ContentString) return;
      if (content instanceof Y.ContentFormat && this.shape.isFormat(content.key)) return;
      throw new Refusal(content instanceof Y.ContentFormat ? `unknown mark ${quoted(content.key)}` : "a text holds something other than text");
    }
    if (place.key !== null) {
      if (rule.attributes.has(place.key) && content instanceof Y.ContentAny) return;
      throw new Refusal(`unknown attribute ${quoted(place.key)}`);
    }
    if (!(content instanceof Y.ContentType)) throw new Refusal("an element holds something other than elements and text");
    const { type } = content;
    if (type instanceof Y.XmlText) {
      if (!rule.text) throw new Refusal("text where the schema allows none");
      this.depths[index] = depth;
    } else if (type instanceof Y.XmlElement) {
      if (!this.shape.elements.has(type.nodeName)) throw new Refusal(`unknown node type ${quoted(type.nodeName)}`);
      if (!rule.elements.has(type.nodeName)) throw new Refusal(`${quoted(type.nodeName)} where the schema does not allow it`);
      if (depth + 1 > this.shape.maxDepth) throw new Refusal(`elements nested deeper than ${this.shape.maxDepth}`);
      this.depths[index] = depth + 1;
    } else {
      throw new Refusal("a type the document schema does not have");
    }
  }

  private facts(container: Container): Facts {
    switch (container.kind) {
      case "root": {
        const rule = this.shape.roots.get(container.name);
        if (rule === undefined) throw new Refusal(`unknown root ${quoted(container.name)}`);
        return { rule, depth: 0 };
      }
      case "new": {
        // Checked before anything it holds, or the check would have stopped there.
        const { content } = this.item(container.index).item;
        const type = content instanceof Y.ContentType ? content.type : null;
        const depth = this.depths[container.index] ?? 0;
        if (type instanceof Y.XmlElement) return { rule: this.elementRule(type.nodeName), depth };
        return { rule: "text", depth };
      }
      case "existing":
        return this.existingTypeFacts(container.type);
    }
  }

  /** Walks up to the root: content an older server stored may be of any shape, and deeper than the limit. */
  private existingTypeFacts(type: Y.AbstractType<unknown>): Facts {
    const cached = this.existingFacts.get(type);
    if (cached !== undefined) return cached;
    let depth = 0;
    let ancestor = type;
    while (ancestor._item !== null) {
      if (ancestor instanceof Y.XmlElement) depth++;
      else if (!(ancestor instanceof Y.XmlText)) throw new Refusal("a type the document schema does not have");
      const parent = ancestor._item.parent;
      if (!(parent instanceof Y.AbstractType)) throw new Refusal("a type outside the document");
      ancestor = parent;
    }
    const root = Y.findRootTypeKey(ancestor);
    if (!this.shape.roots.has(root)) throw new Refusal(`unknown root ${quoted(root)}`);
    let facts: Facts;
    if (type instanceof Y.XmlText) facts = { rule: "text", depth };
    else if (type instanceof Y.XmlElement) facts = { rule: this.elementRule(type.nodeName), depth };
    else facts = this.facts({ kind: "root", name: root });
    this.existingFacts.set(type, facts);
    return facts;
  }

  private elementRule(nodeName: string): ContainerRule {
    const rule = this.shape.elements.get(nodeName);
    if (rule === undefined) throw new Refusal(`unknown node type ${quoted(nodeName)}`);
    return rule;
  }

  private checkDeletions(ds: DeleteSet): void {
    for (const [client, ranges] of ds.clients) {
      const known = Y.getState(this.store, client);
      const reach = this.reach.get(client) ?? known;
      for (const { clock, len } of ranges) {
        if (len <= 0) continue;
        // Yjs keeps the deletion of what it does not have pending, like structs after a gap.
        if (clock + len > reach) this.incomplete = true;
        if (clock < known) this.checkDeletedSubtrees(client, clock, Math.min(clock + len, known));
      }
    }
  }

  private checkDeletedSubtrees(client: number, from: number, to: number): void {
    const structs = this.store.clients.get(client) ?? [];
    for (let index = Y.findIndexSS(structs, from); index < structs.length; index++) {
      const struct = structs[index];
      if (struct === undefined || struct.id.clock >= to) break;
      if (struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentType) {
        if (nestsDeeperThan(struct.content.type, this.shape.maxDepth)) {
          throw new Refusal(`deletes elements nested deeper than ${this.shape.maxDepth}`);
        }
      }
    }
  }

  private item(index: number): NewItem {
    const item = this.items[index];
    if (item === undefined) throw new Error(`no new item ${index}`);
    return item;
  }

  private isKnown(id: Y.ID): boolean {
    return id.clock < Y.getState(this.store, id.client);
  }

  /** The update's struct holding the clock `id`, if any. */
  private inUpdate(id: Y.ID): { struct: Y.Item | Y.GC; newIndex: number | null } | null {
    const list = this.byClient.get(id.client) ?? [];
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const entry = list[middle];
      if (entry === undefined) return null;
      const { clock } = entry.struct.id;
      if (clock + entry.struct.length <= id.clock) low = middle + 1;
      else if (clock > id.clock) high = middle - 1;
      else return entry;
    }
    return null;
  }
}

/** A name from the update, for the log: a client chooses it, so it is cut short. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}

function samePlace(a: Place, b: Place): boolean {
  if (a.kind !== "in" || b.kind !== "in" || a.key !== b.key) return false;
  const [x, y] = [a.container, b.container];
  if (x.kind === "root" && y.kind === "root") return x.name === y.name;
  if (x.kind === "existing" && y.kind === "existing") return x.type === y.type;
  if (x.kind === "new" && y.kind === "new") return x.index === y.index;
  return false;
}

/** Whether types nest more than `limit` levels below `type` (its children, attributes included, are one level). */
function nestsDeeperThan(type: Y.AbstractType<unknown>, limit: number): boolean {
  const stack: Array<{ type: Y.AbstractType<unknown>; depth: number }> = [{ type, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { type: parent, depth } = next;
    // The children Yjs's recursive delete and collection visit: the list, and every value ever set on a key.
    const children: Y.Item[] = [];
    for (let item = parent._start; item !== null; item = item.right) children.push(item);
    for (const last of parent._map.values()) {
      for (let item: Y.Item | null = last; item !== null; item = item.left) children.push(item);
    }
    for (const child of children) {
      if (!(child.content instanceof Y.ContentType)) continue;
      if (depth + 1 > limit) return true;
      stack.push({ type: child.content.type, depth: depth + 1 });
    }
  }
  return false;
}
