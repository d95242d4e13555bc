// What the log viewer knows about a line. The text shown is always the line as the worker wrote it: parsing a JSON
// line and printing it again would turn a 19-digit seed into a rounded double (issue 12 §3), so JSON is parsed only
// to read `level` and `ts`, which are strings.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'unknown';

export const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug', 'unknown'];

export interface LogLine {
  /** Position in the whole log, stable across filtering (React key, "line N"). */
  index: number;
  raw: string;
  level: LogLevel;
  ts?: string;
}

const LEVEL_WORDS: Record<string, LogLevel> = {
  fatal: 'error',
  critical: 'error',
  crit: 'error',
  error: 'error',
  err: 'error',
  warning: 'warn',
  warn: 'warn',
  info: 'info',
  notice: 'info',
  debug: 'debug',
  trace: 'debug',
};

// A level word at the start of a plain-text line, optionally after a timestamp and in brackets: `ERROR x`,
// `[warn] x`, `2026-11-26T22:00:01Z INFO x`, `level=error x`.
const LEADING_TS = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+/;
const LEADING_LEVEL = /^\[?(?:level=)?([a-z]+)\]?(?=[\s:|]|$)/i;

export function levelOf(word: unknown): LogLevel {
  return typeof word === 'string' ? (LEVEL_WORDS[word.toLowerCase()] ?? 'unknown') : 'unknown';
}

export function parseLogLine(raw: string, index: number): LogLine {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const { level, ts } = parsed as Record<string, unknown>;
        return { index, raw, level: levelOf(level), ts: typeof ts === 'string' ? ts : undefined };
      }
    } catch {
      // not JSON after all: read it as text
    }
  }
  const tsMatch = LEADING_TS.exec(trimmed);
  const rest = tsMatch ? trimmed.slice(tsMatch[0].length) : trimmed;
  const levelMatch = LEADING_LEVEL.exec(rest);
  return { index, raw, level: levelOf(levelMatch?.[1]), ts: tsMatch?.[1] };
}

export interface LogFilter {
  search: string;
  /** Levels to show; empty shows every level. */
  levels: LogLevel[];
}

export function filterLogLines(lines: LogLine[], { search, levels }: LogFilter): LogLine[] {
  const needle = search.toLowerCase();
  return lines.filter(
    (line) =>
      (levels.length === 0 || levels.includes(line.level)) && (!needle || line.raw.toLowerCase().includes(needle))
  );
}

export function countLevels(lines: LogLine[]): Record<LogLevel, number> {
  const counts: Record<LogLevel, number> = { error: 0, warn: 0, info: 0, debug: 0, unknown: 0 };
  for (const line of lines) {
    counts[line.level]++;
  }
  return counts;
}

/** The text cut into runs, every case-insensitive occurrence of `search` marked, for highlighting. */
export function splitMatches(text: string, search: string): Array<{ text: string; match: boolean }> {
  if (!search) {
    return [{ text, match: false }];
  }
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) {
      parts.push({ text: text.slice(from, at), match: false });
    }
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) {
    parts.push({ text: text.slice(from), match: false });
  }
  return parts;
}
