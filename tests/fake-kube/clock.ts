// The batch controllers' clock: real time plus an offset that tests move forward, so a schedule fires, a deadline
// passes or a TTL expires without waiting. Pods and their processes keep real time.
export class FakeClock {
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves time forward and lets every controller look at the new time at once. */
  advance(ms: number): void {
    if (ms < 0) {
      throw new Error('fake-kube: the clock only moves forward');
    }
    this.offsetMs += ms;
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Moves time to `at` (when that is later than now). */
  advanceTo(at: Date): void {
    this.advance(Math.max(0, at.getTime() - this.now().getTime()));
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
