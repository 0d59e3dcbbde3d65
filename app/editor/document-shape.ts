import type { NodeType, Schema } from "@tiptap/pm/model";
import { markNameOfFormat } from "./content";
import { documentSchema, MAX_NESTING_DEPTH, YJS_FRAGMENT } from "./extensions";

/**
 * The document schema as it looks in Yjs, where y-tiptap keeps a draft: an XmlFragment of XmlElements named after
 * node types, with their attributes as element attributes, and XmlTexts whose formatting attributes are marks.
 * The collaboration server checks every editor's update against it before applying it.
 */
export interface DocumentShape {
  /** The root types a document may have, by name: an XML fragment holding what its rule allows, or a plain text. */
  roots: ReadonlyMap<string, ContainerRule | "text">;
  /** Element names and what each may hold. */
  elements: ReadonlyMap<string, ContainerRule>;
  /** Whether a formatting attribute of a text stands for a mark of the schema. */
  isFormat(key: string): boolean;
  /** How many elements deep a root may hold (its own children are 1 deep). */
  maxDepth: number;
}

export interface ContainerRule {
  elements: ReadonlySet<string>;
  /** Whether it may hold XmlTexts (inline content). */
  text: boolean;
  attributes: ReadonlySet<string>;
}

/**
 * The shape of documents of `schema` kept in the XmlFragment `fragment`. A node type may hold every type its content
 * expression mentions anywhere: what ProseMirror would reject by order or count is left to the editors, which repair
 * it; what no content expression allows at all is refused.
 */
export function shapeOfSchema(schema: Schema, fragment: string, maxDepth: number): DocumentShape {
  const elements = new Map<string, ContainerRule>();
  for (const [name, type] of Object.entries(schema.nodes)) {
    if (type !== schema.topNodeType && !type.isText) elements.set(name, ruleOf(type));
  }
  const marks = new Set(Object.keys(schema.marks));
  return {
    roots: new Map([[fragment, ruleOf(schema.topNodeType)]]),
    elements,
    isFormat: (key) => marks.has(markNameOfFormat(key)),
    maxDepth,
  };
}

function ruleOf(type: NodeType): ContainerRule {
  const children = new Set<NodeType>();
  const seen = new Set([type.contentMatch]);
  const matches = [type.contentMatch];
  for (let match = matches.pop(); match !== undefined; match = matches.pop()) {
    for (let index = 0; index < match.edgeCount; index++) {
      const edge = match.edge(index);
      children.add(edge.type);
      if (!seen.has(edge.next)) {
        seen.add(edge.next);
        matches.push(edge.next);
      }
    }
  }
  return {
    elements: new Set([...children].filter((child) => !child.isText).map((child) => child.name)),
    text: [...children].some((child) => child.isText),
    attributes: new Set(Object.keys(type.spec.attrs ?? {})),
  };
}

/** The draft's shape: Samråd's one schema, in Tiptap's collaboration fragment. */
export const documentShape = shapeOfSchema(documentSchema, YJS_FRAGMENT, MAX_NESTING_DEPTH);
