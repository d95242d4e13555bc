export interface LogLine {
  ts?: string;
  level?: string;
  msg: string;
}

/** Workers write one JSON object per line (`ts`, `level`, `msg`, …); anything else is shown as it is. */
export function parseLogLine(raw: string): LogLine {
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed.msg === 'string') {
        const { ts, level, msg, job_type: _jobType, pod: _pod, ...rest } = parsed;
        const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
        return {
          ts: typeof ts === 'string' ? ts : undefined,
          level: typeof level === 'string' ? level : undefined,
          msg: msg + extra,
        };
      }
    } catch {
      // not JSON after all: fall through
    }
  }
  return { msg: raw };
}
