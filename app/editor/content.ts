import * as Y from "yjs";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import { documentSchema, MAX_NESTING_DEPTH, YJS_FRAGMENT } from "./extensions";

/** ProseMirror JSON as Tiptap stores it. */
export interface ContentNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ContentNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** The draft held by a Y.Doc, as ProseMirror JSON, never nested much deeper than MAX_NESTING_DEPTH (see xmlToContent). */
export function yDocToContent(doc: Y.Doc): ContentNode {
  return xmlToContent(doc.getXmlFragment(YJS_FRAGMENT));
}

/** Writes ProseMirror JSON into an empty Y.Doc's draft fragment (used by seeding and tests). */
export function writeContentToYDoc(content: ContentNode, doc: Y.Doc): void {
  // Validate against the shared schema first: a malformed seed must fail loudly, not store garbage.
  checkContent(content);
  prosemirrorJSONToYXmlFragment(documentSchema, content, doc.getXmlFragment(YJS_FRAGMENT));
}

/** Throws unless `content` is a draft the schema accepts, nested no deeper than MAX_NESTING_DEPTH. */
export function checkContent(content: ContentNode): void {
  // The depth comes first, and without recursion: ProseMirror's and y-tiptap's conversions recurse.
  if (nestingDepth(content) > MAX_NESTING_DEPTH) throw new RangeError(`Content nests deeper than ${MAX_NESTING_DEPTH} elements`);
  documentSchema.nodeFromJSON(content).check();
}

/** How many elements deep `content` nests below its root (a top-level paragraph is 1; text does not count). */
export function nestingDepth(content: ContentNode): number {
  let deepest = 0;
  const stack: Array<[ContentNode, number]> = [[content, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    deepest = Math.max(deepest, depth);
    for (const child of node.content ?? []) if (child.type !== "text") stack.push([child, depth + 1]);
  }
  return deepest;
}

// y-tiptap keys a mark that may overlap itself (none in our schema today) as "<mark>--<8-character hash>".
const HASHED_MARK_KEY = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/** The mark a formatting attribute of an XmlText stands for, as y-tiptap names them. */
export function markNameOfFormat(key: string): string {
  return HASHED_MARK_KEY.exec(key)?.[1] ?? key;
}

type XmlChild = Y.XmlElement | Y.XmlText;

interface Level {
  children: XmlChild[];
  next: number;
  into: ContentNode[];
  /** Depth of the children (a top-level block is 1); null when they are being flattened. */
  depth: number | null;
}

/**
 * The same JSON as y-tiptap's yXmlFragmentToProsemirrorJSON for every draft within MAX_NESTING_DEPTH, built without
 * recursion, so that no depth of stored content can overflow the stack here.
 *
 * Content nested deeper could only be stored before the server refused it. It is flattened rather than dropped: from
 * the first element at the limit that may hold paragraphs (a quote, a list item), its descendants' text blocks (and
 * leaf blocks such as rules) are kept in document order and the containers around them are left out. A list at the
 * limit keeps its items; anything still deeper two levels later is flattened whatever it is.
 */
export function xmlToContent(fragment: Y.XmlFragment): ContentNode {
  const doc: ContentNode = { type: "doc", content: [] };
  const stack: Level[] = [{ children: xmlChildren(fragment), next: 0, into: doc.content ?? [], depth: 1 }];
  for (let level = stack[0]; level !== undefined; level = stack[stack.length - 1]) {
    const child = level.children[level.next++];
    if (child === undefined) {
      stack.pop();
    } else if (child instanceof Y.XmlText) {
      level.into.push(...textNodes(child));
    } else if (level.depth === null) {
      const children = xmlChildren(child);
      if (holdsText(children)) level.into.push(shallowNode(child, children));
      // A container inside flattened content is left out; its children take its place.
      else stack.push({ children, next: 0, into: level.into, depth: null });
    } else {
      const node = elementNode(child);
      level.into.push(node);
      const children = xmlChildren(child);
      if (children.length === 0) continue;
      const content: ContentNode[] = [];
      node.content = content;
      const flatten = level.depth >= MAX_NESTING_DEPTH && (mayHoldParagraphs(child.nodeName) || level.depth >= MAX_NESTING_DEPTH + 2);
      stack.push({ children, next: 0, into: content, depth: flatten ? null : level.depth + 1 });
    }
  }
  return doc;
}

function xmlChildren(parent: Y.XmlFragment): XmlChild[] {
  return parent.toArray().filter((child): child is XmlChild => child instanceof Y.XmlElement || child instanceof Y.XmlText);
}

/** A text block (it has text) or a leaf (no elements in it): kept whole when its surroundings are flattened. */
function holdsText(children: readonly XmlChild[]): boolean {
  return children.length === 0 || children.some((child) => child instanceof Y.XmlText);
}

/** An element with its text and inline leaves (hard breaks); whatever those would hold in turn is left out. */
function shallowNode(element: Y.XmlElement, children: readonly XmlChild[]): ContentNode {
  const node = elementNode(element);
  if (children.length > 0) node.content = children.flatMap((child) => (child instanceof Y.XmlText ? textNodes(child) : [elementNode(child)]));
  return node;
}

function elementNode(element: Y.XmlElement): ContentNode {
  const node: ContentNode = { type: element.nodeName };
  const attrs = element.getAttributes();
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  return node;
}

function textNodes(text: Y.XmlText): ContentNode[] {
  const nodes: ContentNode[] = [];
  for (const { insert, attributes } of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, Record<string, unknown>> }>) {
    // Embedded objects are not part of the schema; only a server that checked nothing could have stored one.
    if (typeof insert !== "string") continue;
    const node: ContentNode = { type: "text", text: insert };
    if (attributes) node.marks = Object.entries(attributes).map(([key, attrs]) => ({ type: markNameOfFormat(key), attrs }));
    nodes.push(node);
  }
  return nodes;
}

function mayHoldParagraphs(nodeName: string): boolean {
  const type = documentSchema.nodes[nodeName];
  const paragraph = documentSchema.nodes.paragraph;
  // Unknown elements are flattened at once: nothing says what they may hold.
  return type === undefined || paragraph === undefined || type.contentMatch.matchType(paragraph) !== null;
}
