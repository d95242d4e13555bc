/** A /changes cursor: which process answered (`boot`) and how far into its change log the client has read. */
export interface Cursor {
  boot: string;
  seq: number;
}

export function formatCursor(cursor: Cursor): string {
  return `${cursor.boot}.${cursor.seq}`;
}

/** undefined for anything that is not exactly `<boot>.<seq>` as this proxy writes it. */
export function parseCursor(text: string): Cursor | undefined {
  const m = /^([a-z0-9]{1,32})\.(0|[1-9]\d{0,14})$/.exec(text);
  if (!m) {
    return undefined;
  }
  return { boot: m[1]!, seq: Number(m[2]) };
}
