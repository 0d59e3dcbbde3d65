import type { Block, Inline } from "#app/statement/markdown";

/** Parsed Markdown (app/statement/markdown.ts) as elements; headings start at `h1` as the source has them. */
export function MarkdownBlocks({ blocks }: { blocks: readonly Block[] }) {
  return blocks.map((block, index) => {
    switch (block.kind) {
      case "heading": {
        const Tag = `h${block.level}` as const;
        return (
          <Tag key={index}>
            <Inlines content={block.content} />
          </Tag>
        );
      }
      case "paragraph":
        return (
          <p key={index}>
            <Inlines content={block.content} />
          </p>
        );
      case "list": {
        const Tag = block.ordered ? "ol" : "ul";
        return (
          <Tag key={index}>
            {block.items.map((item, position) => (
              <li key={position}>
                <Inlines content={item} />
              </li>
            ))}
          </Tag>
        );
      }
    }
  });
}

function Inlines({ content }: { content: readonly Inline[] }) {
  return content.map((inline, index) =>
    inline.kind === "text" ? (
      inline.text
    ) : inline.kind === "strong" ? (
      <strong key={index}>{inline.text}</strong>
    ) : (
      <a key={index} href={inline.href}>
        {inline.text}
      </a>
    ),
  );
}
