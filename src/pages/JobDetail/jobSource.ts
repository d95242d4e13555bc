import type { Job } from '../../api/types';
import { type HistoryEntry, historyEntries } from '../../services/history';
import { HISTORY_MAX_LINES, jobHistoryExpr } from '../../services/historyQueries';
import { queryAuditEvents } from '../../services/historySource';
import { jobLookupRange } from '../../services/jobLookupRange';
import { type LiveJobsStore, liveJobsStore } from '../../services/liveJobs';

export interface JobHistorySnapshot {
  state: 'idle' | 'loading' | 'found' | 'missing' | 'failed';
  entry?: HistoryEntry;
  error?: string;
}

/**
 * The job one detail page shows: the proxy's live one while it has it; once the proxy says the job is gone, the one
 * rebuilt from its audit events in Loki. The summary, the logs panel and the time range all read it from here.
 */
export class JobSource {
  private history: JobHistorySnapshot = { state: 'idle' };
  private listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly lokiDatasourceUid?: string,
    private readonly live: LiveJobsStore = liveJobsStore
  ) {}

  /** The live job if the proxy has it, else the recorded one, if looked up and found. */
  job(): Job | undefined {
    return this.live.followed(this.id).job ?? this.history.entry?.job;
  }

  /** Changes of the live job (followed while anyone listens) and of the history lookup. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    const unsubscribe = this.live.subscribe(listener);
    const unfollow = this.live.follow(this.id);
    return () => {
      this.listeners.delete(listener);
      unfollow();
      unsubscribe();
    };
  };

  /** Only the history lookup's changes (the live job has its own hook). */
  subscribeHistory = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getHistory = (): JobHistorySnapshot => this.history;

  /** Looks the job up in Loki, once: called when the proxy answers that it no longer has the job. */
  lookUpHistory(): void {
    if (!this.lokiDatasourceUid || this.history.state !== 'idle') {
      return;
    }
    this.set({ state: 'loading' });
    queryAuditEvents({
      datasourceUid: this.lokiDatasourceUid,
      expr: jobHistoryExpr(this.id),
      range: jobLookupRange(),
      maxLines: HISTORY_MAX_LINES,
    }).then(
      ({ events }) => {
        const entry = historyEntries(events).find((e) => e.key === this.id);
        this.set(entry ? { state: 'found', entry } : { state: 'missing' });
      },
      (error: Error) => this.set({ state: 'failed', error: error.message })
    );
  }

  private set(history: JobHistorySnapshot): void {
    this.history = history;
    this.listeners.forEach((listener) => listener());
  }
}
