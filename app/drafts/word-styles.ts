/**
 * Styles the Word export writes and the import reads back. The title page is in a style of its own, which the import
 * leaves out, so that a draft exported and imported again has the same blocks (decision 0032).
 */
export const TITLE_PAGE_STYLE = "Samråd title page";
export const TITLE_PAGE_STYLE_ID = "SamradTitlePage";
/** Word's own name for a quote, which LibreOffice reads as one too. */
export const QUOTE_STYLE = "Quote";
export const CODE_STYLE = "Source Code";
export const CODE_STYLE_ID = "SourceCode";
/** Word's own character style for code in a line of text (what Word calls it when it saves HTML). */
export const INLINE_CODE_STYLE = "HTML Code";
export const INLINE_CODE_STYLE_ID = "HTMLCode";
