/** The name and caret colour a person edits under, remembered in this browser until accounts exist. */
export interface EditorIdentity {
  name: string;
  color: string;
}

const STORAGE_KEY = "samrad.identity";

/** Caret colours with at least 4.5:1 contrast against white label text. */
export const CARET_COLORS = ["#1f5f99", "#8a2f6b", "#2d6a2e", "#9c3d14", "#5b3f9e", "#00666b", "#7a4e00", "#a1253a"] as const;

export function loadIdentity(storage: Storage, defaultName: (n: number) => string): EditorIdentity {
  try {
    const stored: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null");
    if (isIdentity(stored)) return stored;
  } catch {
    // A corrupt entry is replaced below.
  }
  const n = Math.floor(Math.random() * 900) + 100;
  const identity = { name: defaultName(n), color: CARET_COLORS[n % CARET_COLORS.length] ?? CARET_COLORS[0] };
  storage.setItem(STORAGE_KEY, JSON.stringify(identity));
  return identity;
}

export function saveIdentity(storage: Storage, identity: EditorIdentity): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(identity));
}

export const MAX_NAME_LENGTH = 60;

function isIdentity(value: unknown): value is EditorIdentity {
  if (typeof value !== "object" || value === null) return false;
  const { name, color } = value as Record<string, unknown>;
  return (
    typeof name === "string" &&
    name.trim().length > 0 &&
    name.length <= MAX_NAME_LENGTH &&
    typeof color === "string" &&
    (CARET_COLORS as readonly string[]).includes(color)
  );
}
