// One `?watch=true` stream: newline-delimited {type, object}, headers flushed at once (client-node's informer waits
// for them), resume from a resourceVersion out of the history, the 410 ERROR event when that is too old.
import type { ServerResponse } from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';
import { jsonWithKind, type ObjectStore, type StoredObject, type StoreEvent, type TypeMeta } from './store.ts';
import { status } from './status.ts';

export interface WatchRequest<T extends StoredObject = V1Pod> {
  /** undefined: every namespace. */
  namespace: string | undefined;
  matches: (pod: T) => boolean;
  /** undefined, '' or '0': start with synthetic ADDED events for what exists now. */
  resourceVersion: number | undefined;
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutSeconds: number | undefined;
  /** What the store holds (default Pods). */
  type?: TypeMeta;
}

export interface OpenWatch {
  end(): void;
}

/** The event a watcher with this filter sees, if any (objects that stop or start matching become DELETED or ADDED). */
export function project<T extends StoredObject>(
  event: StoreEvent<T>,
  inScope: (pod: T) => boolean
): { type: string; object: T } | null {
  const now = inScope(event.object);
  if (event.type !== 'MODIFIED') {
    return now ? { type: event.type, object: event.object } : null;
  }
  const before = event.previous ? inScope(event.previous) : now;
  if (now && before) {
    return { type: 'MODIFIED', object: event.object };
  }
  if (now) {
    return { type: 'ADDED', object: event.object };
  }
  return before ? { type: 'DELETED', object: event.object } : null;
}

export function serveWatch<T extends StoredObject>(
  store: ObjectStore<T>,
  req: WatchRequest<T>,
  res: ServerResponse,
  onEnd: () => void
): OpenWatch {
  const type = req.type ?? { kind: 'Pod', apiVersion: 'v1' };
  const inScope = (pod: T) =>
    (req.namespace === undefined || pod.metadata?.namespace === req.namespace) && req.matches(pod);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const write = (event: string, object: unknown) => {
    if (!res.writableEnded) {
      res.write(`${JSON.stringify({ type: event, object })}\n`);
    }
  };
  const writePod = (event: string, pod: T) => {
    if (!res.writableEnded) {
      res.write(`{"type":"${event}","object":${jsonWithKind(pod, type)}}\n`);
    }
  };
  let ended = false;
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  const end = () => {
    if (ended) {
      return;
    }
    ended = true;
    unsubscribe();
    timers.forEach((t) => clearTimeout(t));
    if (!res.writableEnded) {
      res.end();
    }
    onEnd();
  };
  res.on('close', end);

  if (req.resourceVersion === undefined) {
    for (const pod of store.list(req.namespace)) {
      if (req.matches(pod)) {
        writePod('ADDED', pod);
      }
    }
  } else {
    const replay = store.since(req.resourceVersion);
    if (replay === 'expired') {
      const message = `too old resource version: ${req.resourceVersion} (${store.oldestResumableRv()})`;
      write('ERROR', status(410, 'Expired', message));
      end();
      return { end };
    }
    for (const event of replay) {
      const seen = project(event, inScope);
      if (seen) {
        writePod(seen.type, seen.object);
      }
    }
  }
  unsubscribe = store.subscribe((event) => {
    const seen = project(event, inScope);
    if (seen) {
      writePod(seen.type, seen.object);
    }
  });
  if (req.bookmarks) {
    // As the watch cache does (kubernetes staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go,
    // nextBookmarkTime; cacher.go defaultBookmarkFrequency = 1 min): a bookmark roughly every interval, and one
    // 2 s before the watch's deadline, so that a client resumes from a recent resourceVersion. A bookmark carries
    // only the object's kind and the current resourceVersion.
    const bookmark = () => write('BOOKMARK', { ...type, metadata: { resourceVersion: String(store.currentRv()) } });
    const tick = () => {
      bookmark();
      timers[0] = setTimeout(tick, req.bookmarkIntervalMs).unref();
    };
    timers[0] = setTimeout(tick, req.bookmarkIntervalMs).unref();
    if (req.timeoutSeconds !== undefined && req.timeoutSeconds > 2) {
      timers.push(setTimeout(bookmark, req.timeoutSeconds * 1000 - 2000).unref());
    }
  }
  if (req.timeoutSeconds !== undefined) {
    timers.push(setTimeout(end, req.timeoutSeconds * 1000).unref());
  }
  return { end };
}
