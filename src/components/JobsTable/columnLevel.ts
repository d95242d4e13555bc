/** How many columns the table shows: all, the main ones, or only what identifies a job and acts on it. */
export type ColumnLevel = 'wide' | 'medium' | 'narrow';

// Widths the full column sets need with ids of ~25 characters and two-button actions (measured in Chromium by
// tests/preview/browser-jobs.test.ts at 1024, 1400 and 1920 px). History's table (src/pages/Jobs/History) folds its
// columns at the same widths, measured by tests/preview/browser-logs.test.ts.
const WIDE_MIN_PX = 1400;
const MEDIUM_MIN_PX = 1000;

/** The level for the table's own width; unmeasured (no layout, as in jsdom) shows every column. */
export function columnLevel(width: number | undefined): ColumnLevel {
  if (width === undefined || width >= WIDE_MIN_PX) {
    return 'wide';
  }
  return width >= MEDIUM_MIN_PX ? 'medium' : 'narrow';
}
