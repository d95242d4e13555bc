import { retryLater } from '../http-error.ts';
import type { CacheState } from '../plugins/job-cache.ts';

/** Routes that answer from the job cache refuse until its first list is in, rather than answer "no jobs". */
export function requireSynced(state: CacheState): void {
  if (!state.synced) {
    throw retryLater(503, 'not_ready', 'the job cache has not synced with Kubernetes yet; try again shortly', 2);
  }
}
