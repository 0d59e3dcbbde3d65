import { hasControlCharacters, withoutControlCharacters } from "#app/input/text";

/**
 * A posted form as every action reads it. Text is checked here, once for every form: a value holding a control
 * character (NUL above all, which the database cannot store) is removed of them, and `refused` names the first
 * field that held one, so the action answers with a message at that field instead of saving altered text. Files
 * (a multipart form's file inputs) are kept apart, unchecked: they are the action's to read.
 */
export interface PostedForm {
  /** Each name's last value. */
  fields: Record<string, string>;
  /** Each name's values in order, for a name posted more than once (a column of checkboxes). */
  lists: Record<string, string[]>;
  /** The first field that held a control character, or null. */
  refused: string | null;
  /** Each file input's last file; an input left empty sends a file of no bytes. */
  files: Record<string, File>;
}

export async function readForm(request: Request): Promise<PostedForm> {
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const files: Record<string, File> = {};
  let refused: string | null = null;
  for (const [name, value] of await request.formData()) {
    if (typeof value !== "string") {
      files[name] = value;
      continue;
    }
    let text = value;
    if (hasControlCharacters(text)) {
      refused ??= name;
      text = withoutControlCharacters(text);
    }
    fields[name] = text;
    (lists[name] ??= []).push(text);
  }
  return { fields, lists, refused, files };
}
