import { retryLater, type HttpError } from '../http-error.ts';

/** Who holds a stream when Grafana sent no X-Grafana-User (anonymous viewers, service accounts). */
export const ANONYMOUS = 'anonymous';
const RETRY_SECONDS = 5;

/**
 * Followed log streams each hold about 100 KB and one connection to the API server for as long as the job runs, so
 * they are counted: at most `max` at once, and `perUser` for any one user. `acquire` gives a release function, to
 * be called exactly once when the stream ends, or the 429 that refuses it.
 */
export class StreamLimits {
  private readonly max: number;
  private readonly perUser: number;
  private total = 0;
  private readonly byUser = new Map<string, number>();

  constructor(limits: { max: number; perUser: number }) {
    this.max = limits.max;
    this.perUser = limits.perUser;
  }

  get open(): number {
    return this.total;
  }

  acquire(user: string): (() => void) | HttpError {
    const mine = this.byUser.get(user) ?? 0;
    if (mine >= this.perUser) {
      return retryLater(
        429,
        'limit_exceeded',
        `${user === ANONYMOUS ? 'anonymous users' : `user "${user}"`} already follow ${mine} log streams, the most allowed per user (FLOWKUBE_MAX_LOG_STREAMS_PER_USER); close one and try again`,
        RETRY_SECONDS,
        { limit: 'FLOWKUBE_MAX_LOG_STREAMS_PER_USER' }
      );
    }
    if (this.total >= this.max) {
      return retryLater(
        429,
        'limit_exceeded',
        `the proxy already serves ${this.total} followed log streams, its limit (FLOWKUBE_MAX_LOG_STREAMS); try again shortly`,
        RETRY_SECONDS,
        { limit: 'FLOWKUBE_MAX_LOG_STREAMS' }
      );
    }
    this.total += 1;
    this.byUser.set(user, mine + 1);
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.total -= 1;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left === 0) {
        this.byUser.delete(user);
      } else {
        this.byUser.set(user, left);
      }
    };
  }
}
