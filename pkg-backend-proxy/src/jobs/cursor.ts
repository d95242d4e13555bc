/**
 * A /changes cursor: the Kubernetes resourceVersion up to which the client has seen FlowKube's Pods. Every replica
 * watches the same Pods and so sees the same resourceVersions, so a cursor from one replica means the same on any
 * other. kube-apiserver's resourceVersions are etcd revisions, integers that only grow; the proxy compares them.
 */
export interface Cursor {
  rv: number;
}

export function formatCursor(cursor: Cursor): string {
  return String(cursor.rv);
}

/** undefined for anything that is not a resourceVersion as this proxy writes it (decimal, no sign or leading 0). */
export function parseCursor(text: string): Cursor | undefined {
  if (!/^(0|[1-9]\d{0,15})$/.test(text)) {
    return undefined;
  }
  const rv = Number(text);
  return Number.isSafeInteger(rv) ? { rv } : undefined;
}

/** A resourceVersion as a number, or undefined when it is absent or not one etcd would write. */
export function rvNumber(resourceVersion: string | undefined): number | undefined {
  return resourceVersion === undefined ? undefined : parseCursor(resourceVersion)?.rv;
}
