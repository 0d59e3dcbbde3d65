/**
 * Characters no form field of Samråd may carry: the C0 controls except tab, line feed and carriage return, DEL,
 * and the C1 controls. PostgreSQL cannot store NUL in text at all (the request would fail), and the others are
 * invisible, come only from pasted binary or hostile clients, and break exports and mail.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Whether the text holds a character listed in CONTROL_CHARACTERS (tab and line breaks are allowed). */
export function hasControlCharacters(text: string): boolean {
  CONTROL_CHARACTERS.lastIndex = 0;
  return CONTROL_CHARACTERS.test(text);
}

/** The text without those characters, to show a refused form again with what can be kept. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, "");
}

/** The code of the error a form shows at a field that held them; every form's catalogue has a message under it. */
export const CONTROL_CHARACTERS_ERROR = "control-characters";
