import { notReady } from '../http-error.ts';
import type { CacheState } from '../plugins/job-cache.ts';

/** Routes that answer from the job cache refuse until its first list is in, rather than answer "no jobs". */
export function requireSynced(state: CacheState): void {
  if (!state.synced) {
    throw notReady('job');
  }
}
