// No runtime import of @grafana/data: the preview's Loki stand-in tests (tests/preview/loki.test.ts) walk with this
// under node --test, where its ESM build does not load (moment-timezone).

/**
 * The most pages History reads for one time range (each at most HISTORY_MAX_LINES lines, so 100,000 events, about
 * 33,000 jobs): a longer range stops there, saying how far back it got, instead of querying Loki for ever.
 */
export const HISTORY_MAX_PAGES = 20;

/** What one page of a backward walk returned. */
export interface PageRead {
  /** 1 for the newest page. */
  number: number;
  /** The end of the range this page asked for, epoch ms. */
  to: number;
  /** Loki returned as many lines as asked for, so the range may hold older ones. */
  truncated: boolean;
  /** The millisecond of the page's oldest line (Loki's timestamp of it, not the event's `time`). */
  oldestMs?: number;
}

export type PageStep =
  /** Read [the range's start, nextTo) next (epoch ms). */
  | { nextTo: number }
  | { end: 'whole' }
  /** Stopped at the page bound (or at a millisecond holding a whole page): nothing before `oldestMs` was read. */
  | { end: 'bound'; oldestMs: number };

/**
 * Where a backward walk through a time range goes after a page. Loki answers newest first, so a full page is
 * followed by one over [the range's start, its oldest line]. Loki's end is exclusive ([from, through) in nanoseconds,
 * grafana/loki pkg/chunkenc/unordered.go) and Grafana's request carries milliseconds only, so the next page ends 1 ms
 * after the oldest line's millisecond: it reads that millisecond again whole, and a line that shares it with the
 * oldest one (and did not fit the page) is not lost. Lines read twice that way are the same audit events, and the
 * history dedupes them by `eventId`.
 */
export function afterPage(page: PageRead, maxPages: number): PageStep {
  if (!page.truncated || page.oldestMs === undefined) {
    return { end: 'whole' };
  }
  const to = page.oldestMs + 1;
  // `to >= page.to`: the page was one millisecond's lines only, so the next would ask for the same ones again
  if (page.number >= maxPages || to >= page.to) {
    return { end: 'bound', oldestMs: page.oldestMs };
  }
  return { nextTo: to };
}
