// Pod storage with a global resourceVersion and a bounded event history, as etcd plus the watch cache provide.
// Stored objects are never mutated after they are stored: every change stores a fresh copy, so history and
// in-flight watch events keep the exact state they announced.
import type { V1Pod } from '@kubernetes/client-node';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  object: V1Pod;
  /** The object before a MODIFIED, so a selector watch can turn "stopped matching" into DELETED. */
  previous?: V1Pod;
}

export type Listener = (event: StoreEvent) => void;

export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class PodStore {
  private readonly pods = new Map<string, V1Pod>();
  private sortedKeys: string[] | undefined;
  private rv = 1;
  private history: StoreEvent[] = [];
  /** The lowest resourceVersion a watch may resume from; older ones get 410 Expired. */
  private minResumable = 1;
  private readonly listeners = new Set<Listener>();
  private readonly historyLimit: number;

  constructor(historyLimit: number) {
    this.historyLimit = historyLimit;
  }

  currentRv(): number {
    return this.rv;
  }

  oldestResumableRv(): number {
    return this.minResumable;
  }

  get(namespace: string, name: string): V1Pod | undefined {
    return this.pods.get(keyOf(namespace, name));
  }

  /** In etcd key order (namespace, then name), as the API server lists. */
  list(namespace?: string): V1Pod[] {
    this.sortedKeys ??= [...this.pods.keys()].sort();
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const out: V1Pod[] = [];
    for (const key of this.sortedKeys) {
      if (key.startsWith(prefix)) {
        out.push(this.pods.get(key) as V1Pod);
      }
    }
    return out;
  }

  /** In creation order (for the test helpers). */
  all(): V1Pod[] {
    return [...this.pods.values()];
  }

  add(pod: V1Pod): V1Pod {
    const stored = structuredClone(pod);
    const meta = stored.metadata ?? (stored.metadata = {});
    meta.resourceVersion = String(++this.rv);
    this.pods.set(keyOf(meta.namespace ?? '', meta.name ?? ''), stored);
    this.sortedKeys = undefined;
    this.emit({ rv: this.rv, type: 'ADDED', object: stored });
    return stored;
  }

  /** Applies `mutate` to a copy and stores it with a new resourceVersion; undefined when the Pod is gone. */
  update(namespace: string, name: string, mutate: (draft: V1Pod) => void): V1Pod | undefined {
    const previous = this.get(namespace, name);
    if (!previous) {
      return undefined;
    }
    const next = structuredClone(previous);
    mutate(next);
    (next.metadata ?? (next.metadata = {})).resourceVersion = String(++this.rv);
    this.pods.set(keyOf(namespace, name), next);
    this.emit({ rv: this.rv, type: 'MODIFIED', object: next, previous });
    return next;
  }

  remove(namespace: string, name: string): V1Pod | undefined {
    const previous = this.get(namespace, name);
    if (!previous) {
      return undefined;
    }
    const gone = structuredClone(previous);
    (gone.metadata ?? (gone.metadata = {})).resourceVersion = String(++this.rv);
    this.pods.delete(keyOf(namespace, name));
    this.sortedKeys = undefined;
    this.emit({ rv: this.rv, type: 'DELETED', object: gone });
    return gone;
  }

  /** Events after `rv`, or 'expired' when some of them were already dropped. */
  since(rv: number): StoreEvent[] | 'expired' {
    if (rv < this.minResumable) {
      return 'expired';
    }
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(listener: Listener): () => void {
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

  private emit(event: StoreEvent): void {
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
