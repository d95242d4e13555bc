import { countLevels, filterLogLines, parseLogLine, splitMatches } from './logLines';

describe('parseLogLine', () => {
  it('keeps a JSON line as written, 19-digit numbers included, and reads only level and ts from it', () => {
    const raw = '{"ts":"2026-11-26T22:00:01.123Z","level":"INFO","msg":"drawn","seed":9007199254740993123,"x":1.50}';
    const line = parseLogLine(raw, 7);
    expect(line).toEqual({ index: 7, raw, level: 'info', ts: '2026-11-26T22:00:01.123Z' });
    // what JSON.parse → JSON.stringify would have shown instead
    expect(JSON.stringify(JSON.parse(raw))).not.toContain('9007199254740993123');
  });

  it.each([
    ['ERROR could not connect', 'error', undefined],
    ['[warn] slow disk', 'warn', undefined],
    ['level=debug tick', 'debug', undefined],
    ['2026-11-26T22:00:01Z FATAL: out of memory', 'error', '2026-11-26T22:00:01Z'],
    ['2026-11-26 22:00:01,5 Warning retrying', 'warn', '2026-11-26 22:00:01,5'],
    ['Information is not a level', 'unknown', undefined],
    ['plain text', 'unknown', undefined],
  ])('reads the level of the text line %j', (raw, level, ts) => {
    expect(parseLogLine(raw, 0)).toEqual({ index: 0, raw, level, ts });
  });

  it('reads a JSON level in any case and treats broken or non-object JSON as text', () => {
    expect(parseLogLine('{"level":"Warning"}', 0).level).toBe('warn');
    expect(parseLogLine('{"level":"ERROR", broken', 0).level).toBe('unknown');
    expect(parseLogLine('{"level":3}', 0)).toEqual({ index: 0, raw: '{"level":3}', level: 'unknown', ts: undefined });
  });
});

describe('filterLogLines', () => {
  const lines = ['ERROR disk full', 'INFO Disk ok', 'WARN slow', 'no level'].map(parseLogLine);

  it('filters by a case-insensitive search and by levels, both at once', () => {
    expect(filterLogLines(lines, { search: 'disk', levels: [] }).map((l) => l.index)).toEqual([0, 1]);
    expect(filterLogLines(lines, { search: '', levels: ['warn', 'unknown'] }).map((l) => l.index)).toEqual([2, 3]);
    expect(filterLogLines(lines, { search: 'DISK', levels: ['error'] }).map((l) => l.index)).toEqual([0]);
  });

  it('counts lines per level', () => {
    expect(countLevels(lines)).toEqual({ error: 1, warn: 1, info: 1, debug: 0, unknown: 1 });
  });
});

describe('splitMatches', () => {
  it('marks every case-insensitive occurrence and keeps the original text', () => {
    expect(splitMatches('Seed 42 and seed 43', 'SEED')).toEqual([
      { text: 'Seed', match: true },
      { text: ' 42 and ', match: false },
      { text: 'seed', match: true },
      { text: ' 43', match: false },
    ]);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }]);
  });
});
