/**
 * The long-polls waiting for a store to change: each wait ends at the next wake(), after its own timeout, or when its
 * request goes away. close() ends them all and makes later waits return at once, so none holds a closing server.
 */
export class ChangeWaiters {
  private readonly waiters = new Set<() => void>();
  private closed = false;

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || ms <= 0 || signal?.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const w of [...this.waiters]) {
      w();
    }
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}
