import { hasControlCharacters, withoutControlCharacters } from "#app/input/text";

/**
 * A posted form as every action reads it. Text is checked here, once for every form: a value holding a control
 * character (NUL above all, which the database cannot store) is removed of them, and `refused` names the first
 * field that held one, so the action answers with a message at that field instead of saving altered text. File
 * fields are dropped, since no form of the app takes files.
 */
export interface PostedForm {
  /** Each name's last value. */
  fields: Record<string, string>;
  /** Each name's values in order, for a name posted more than once (a column of checkboxes). */
  lists: Record<string, string[]>;
  /** The first field that held a control character, or null. */
  refused: string | null;
}

export async function readForm(request: Request): Promise<PostedForm> {
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  let refused: string | null = null;
  for (const [name, value] of await request.formData()) {
    if (typeof value !== "string") continue;
    let text = value;
    if (hasControlCharacters(text)) {
      refused ??= name;
      text = withoutControlCharacters(text);
    }
    fields[name] = text;
    (lists[name] ??= []).push(text);
  }
  return { fields, lists, refused };
}
