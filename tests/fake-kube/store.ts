// Object storage with a global resourceVersion and a bounded event history, as etcd plus the watch cache provide.
// Stored objects are never mutated after they are stored: every change stores a fresh copy, so history and
// in-flight watch events keep the exact state they announced. One store per resource (Pods, CronJobs, Jobs); they
// share one Revision, because etcd's revision is global across resources.
import type { V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import { timestamp } from './objects.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What every stored object has. */
export interface StoredObject {
  metadata?: V1ObjectMeta;
}

export interface StoreEvent<T extends StoredObject = V1Pod> {
  rv: number;
  type: EventType;
  object: T;
  /** The object before a MODIFIED, so a selector watch can turn "stopped matching" into DELETED. */
  previous?: T;
}

export type Listener<T extends StoredObject = V1Pod> = (event: StoreEvent<T>) => void;

/** etcd's revision: one counter for every store of one fake. */
export interface Revision {
  rv: number;
}

export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Stored objects are plain JSON (timestamps are strings), and a JSON round trip copies them fastest. */
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const serialized = new WeakMap<object, string>();

/** JSON of a stored object, computed once: stored objects never change, and 10,000-item lists must stay cheap. */
export function podJson(pod: object): string {
  let text = serialized.get(pod);
  if (text === undefined) {
    text = JSON.stringify(pod);
    serialized.set(pod, text);
  }
  return text;
}

/** Kind and apiVersion of the objects one store holds, as single objects and watch events carry them (list items
 * do not). */
export interface TypeMeta {
  kind: string;
  apiVersion: string;
}

export const jsonWithKind = (obj: object, type: TypeMeta): string =>
  `{"kind":"${type.kind}","apiVersion":"${type.apiVersion}",${podJson(obj).slice(1)}`;

function firstAtLeast(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

export class ObjectStore<T extends StoredObject> {
  private readonly pods = new Map<string, T>();
  private sortedKeys: string[] | undefined;
  private readonly revision: Revision;
  private history: Array<StoreEvent<T>> = [];
  /** The lowest resourceVersion a watch may resume from; older ones get 410 Expired. */
  private minResumable = 1;
  private readonly listeners = new Set<Listener<T>>();
  private readonly historyLimit: number;

  constructor(historyLimit: number, revision: Revision = { rv: 1 }) {
    this.historyLimit = historyLimit;
    this.revision = revision;
  }

  private get rv(): number {
    return this.revision.rv;
  }

  private set rv(value: number) {
    this.revision.rv = value;
  }

  currentRv(): number {
    return this.rv;
  }

  oldestResumableRv(): number {
    return this.minResumable;
  }

  get(namespace: string, name: string): T | undefined {
    return this.pods.get(keyOf(namespace, name));
  }

  /** In etcd key order (namespace, then name), as the API server lists. */
  list(namespace?: string): T[] {
    this.sortedKeys ??= [...this.pods.keys()].sort();
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const out: T[] = [];
    for (const key of this.sortedKeys) {
      if (key.startsWith(prefix)) {
        out.push(this.pods.get(key) as T);
      }
    }
    return out;
  }

  /**
   * One chunk of a list, as etcd3's GetList serves `limit` and `continue`: keys after `after` in key order, up to
   * `limit` of those `match` keeps, and whether keys remain after the last one looked at (etcd's `more`, which
   * counts keys the selector would drop, so the last chunk may come back empty). `remaining` is the number of keys
   * left, which the API server reports only for a list without a selector. Binary search to the start key, so
   * every chunk of a 100,000-object list costs its own size, not the list's.
   */
  page(
    namespace: string | undefined,
    after: string | undefined,
    limit: number,
    match: (obj: T) => boolean
  ): { items: T[]; lastKey?: string; more: boolean; remaining: number } {
    this.sortedKeys ??= [...this.pods.keys()].sort();
    const keys = this.sortedKeys;
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const from = after !== undefined && after > prefix ? after : prefix;
    const end = namespace === undefined ? keys.length : firstAtLeast(keys, `${namespace}0`); // '0' follows '/'
    let i = firstAtLeast(keys, from);
    if (i < keys.length && keys[i] === after) {
      i++;
    }
    const items: T[] = [];
    let lastKey: string | undefined;
    for (; i < end && items.length < limit; i++) {
      const obj = this.pods.get(keys[i]!) as T;
      if (match(obj)) {
        items.push(obj);
        lastKey = keys[i];
      }
    }
    return { items, lastKey, more: i < end, remaining: end - i };
  }

  /** In creation order (for the test helpers). */
  all(): T[] {
    return [...this.pods.values()];
  }

  /** Stores `pod` itself (callers hand over a fresh object) with the next resourceVersion. */
  add(pod: T): T {
    const stored = pod;
    const meta = stored.metadata ?? (stored.metadata = {});
    meta.resourceVersion = String(++this.rv);
    this.pods.set(keyOf(meta.namespace ?? '', meta.name ?? ''), stored);
    this.sortedKeys = undefined;
    this.emit({ rv: this.rv, type: 'ADDED', object: stored });
    return stored;
  }

  /** Applies `mutate` to a copy and stores it with a new resourceVersion; undefined when the Pod is gone. */
  update(namespace: string, name: string, mutate: (draft: T) => void): T | undefined {
    const previous = this.get(namespace, name);
    if (!previous) {
      return undefined;
    }
    const next = clone(previous);
    mutate(next);
    (next.metadata ?? (next.metadata = {})).resourceVersion = String(++this.rv);
    this.pods.set(keyOf(namespace, name), next);
    this.emit({ rv: this.rv, type: 'MODIFIED', object: next, previous });
    return next;
  }

  /**
   * The end of a DELETE whose grace period is over (or 0): the object goes, unless finalizers hold it. Then it stays,
   * marked deleting with a grace period of 0, until an update empties its finalizers (store.go markAsDeleting and
   * updateForGracefulDeletionAndFinalizers, staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go).
   * Returns the object when it stays.
   */
  deleteNow(namespace: string, name: string, now = new Date()): T | undefined {
    const current = this.get(namespace, name);
    if (!current?.metadata?.finalizers?.length) {
      this.remove(namespace, name);
      return undefined;
    }
    return this.update(namespace, name, (d) => {
      const meta = d.metadata!;
      const existing = meta.deletionTimestamp as unknown as string | undefined;
      if (existing === undefined || Date.parse(existing) > now.getTime()) {
        meta.deletionTimestamp = timestamp(now) as unknown as Date;
      }
      meta.deletionGracePeriodSeconds = 0;
    });
  }

  remove(namespace: string, name: string): T | undefined {
    const previous = this.get(namespace, name);
    if (!previous) {
      return undefined;
    }
    const gone = clone(previous);
    (gone.metadata ?? (gone.metadata = {})).resourceVersion = String(++this.rv);
    this.pods.delete(keyOf(namespace, name));
    this.sortedKeys = undefined;
    this.emit({ rv: this.rv, type: 'DELETED', object: gone });
    return gone;
  }

  /** Events after `rv`, or 'expired' when some of them were already dropped. */
  since(rv: number): Array<StoreEvent<T>> | 'expired' {
    if (rv < this.minResumable) {
      return 'expired';
    }
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drops the whole history, as an etcd compaction does. The resourceVersion moves on by one (other objects change
   * in a real cluster too), so a fresh list is resumable while every earlier resourceVersion is expired.
   */
  expire(): void {
    this.history = [];
    this.rv++;
    this.minResumable = this.rv;
  }

  private emit(event: StoreEvent<T>): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.minResumable = Math.max(this.minResumable, dropped[dropped.length - 1]?.rv ?? 0);
    }
    for (const listener of this.listeners) {
      listener(event);
    }
  }
}

export class PodStore extends ObjectStore<V1Pod> {}
