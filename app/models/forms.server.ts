/** A posted form's text fields by name; file fields are dropped, since no form of the app takes files. */
export async function textFields(request: Request): Promise<Record<string, string>> {
  return Object.fromEntries([...(await request.formData())].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
