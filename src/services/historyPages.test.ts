import { afterPage, HISTORY_MAX_PAGES } from './historyPages';

const to = Date.parse('2026-11-27T00:00:00Z');
const oldestMs = Date.parse('2026-11-26T18:30:00.250Z');

describe('afterPage', () => {
  it('asks next for [range.from, the oldest line’s millisecond + 1 ms) after a full page', () => {
    const step = afterPage({ number: 1, to, truncated: true, oldestMs }, HISTORY_MAX_PAGES);
    expect(step).toEqual({ nextTo: oldestMs + 1 });
  });

  it('ends when a page is not full, or holds no line', () => {
    expect(afterPage({ number: 3, to, truncated: false, oldestMs }, HISTORY_MAX_PAGES)).toEqual({
      end: 'whole',
    });
    expect(afterPage({ number: 1, to, truncated: false }, HISTORY_MAX_PAGES)).toEqual({ end: 'whole' });
  });

  it('stops at the last page it may read, and when the next page would ask for the same millisecond again', () => {
    expect(afterPage({ number: 20, to, truncated: true, oldestMs }, 20)).toEqual({ end: 'bound', oldestMs });
    expect(afterPage({ number: 19, to, truncated: true, oldestMs }, 20)).toHaveProperty('nextTo');
    expect(afterPage({ number: 2, to: oldestMs + 1, truncated: true, oldestMs }, 20)).toEqual({
      end: 'bound',
      oldestMs,
    });
  });
});
