/** A posted form's text fields by name; file fields are dropped, since no form of the app takes files. */
export async function textFields(request: Request): Promise<Record<string, string>> {
  return Object.fromEntries([...(await request.formData())].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** Like textFields, but a name posted more than once (a column of checkboxes) gives all its values, as a list. */
export async function textFieldLists(request: Request): Promise<Record<string, string | string[]>> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of await request.formData()) {
    if (typeof value !== "string") continue;
    const before = fields[name];
    fields[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return fields;
}
