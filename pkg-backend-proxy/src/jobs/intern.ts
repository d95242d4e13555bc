/**
 * One shared copy of values that many cached jobs repeat (a template's params, the same failure, the same search
 * text): at 100,000 jobs the copies would be most of the cache (issue 12 §5). Values must never be mutated once
 * interned. The table is bounded; when it fills it starts again, so odd values cannot grow it for good, and values
 * already shared stay shared.
 */
const MAX_ENTRIES = 8192;
const table = new Map<string, unknown>();

function lookup<T>(key: string, value: T): T {
  const found = table.get(key);
  if (found !== undefined) {
    return found as T;
  }
  if (table.size >= MAX_ENTRIES) {
    table.clear();
  }
  table.set(key, value);
  return value;
}

export function internString(value: string): string {
  return lookup(`s${value}`, value);
}

/** A plain JSON object, shared with every equal one (equal as JSON text, so with the same key order). */
export function internObject<T extends object>(value: T): T {
  return lookup(`o${JSON.stringify(value)}`, value);
}
