/**
 * One shared copy of values that many cached jobs repeat (a template's params, the same failure, the same search
 * text, a node or an image): at 100,000 jobs the copies would be most of the cache (issue 12 §5). Values must never
 * be mutated once interned. The tables are bounded; when they fill they start again, so odd values cannot grow them
 * for good, and values already shared stay shared. Strings are their own keys: a prefixed key would be a new string
 * per lookup, made and dropped once per field of every listed Pod.
 */
const MAX_ENTRIES = 8192;
const strings = new Map<string, string>();
const objects = new Map<string, object>();

function room(): void {
  if (strings.size + objects.size >= MAX_ENTRIES) {
    strings.clear();
    objects.clear();
  }
}

export function internString(value: string): string {
  const found = strings.get(value);
  if (found !== undefined) {
    return found;
  }
  room();
  strings.set(value, value);
  return value;
}

/** A plain JSON object, shared with every equal one (equal as JSON text, so with the same key order). */
export function internObject<T extends object>(value: T): T {
  const key = JSON.stringify(value);
  const found = objects.get(key);
  if (found !== undefined) {
    return found as T;
  }
  room();
  objects.set(key, value);
  return value;
}
