import { dateTime, type TimeRange } from '@grafana/data';

/**
 * Loki's default `max_query_length` is 721h: a job looked up by id alone (its Pod is gone, so nothing says when it
 * ran) is searched over the 30 days before now, the longest range a default Loki accepts.
 */
export function jobLookupRange(): TimeRange {
  // One reading of the clock for both ends: two (as rangeUtil.convertRawToRange takes of 'now-30d' and 'now') can
  // lie a millisecond apart and make the range longer than 30 days.
  const to = dateTime();
  const from = dateTime(to).subtract(720, 'hours'); // hours, not days: a day across a DST change is not 24 h
  return { from, to, raw: { from: 'now-30d', to: 'now' } };
}
