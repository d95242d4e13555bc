// One container's log as the kubelet keeps it: stdout and stderr interleaved by arrival, one timestamp per line.
export interface LogLine {
  /** RFC 3339 with nanoseconds, as `timestamps=true` prints it. */
  ts: string;
  at: number;
  text: string;
}

export interface LogQuery {
  tailLines?: number;
  sinceSeconds?: number;
  /** Epoch milliseconds. */
  sinceTime?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

export class LogBuffer {
  readonly lines: LogLine[] = [];
  private readonly partial = new Map<string, string>();
  private readonly followers = new Set<(line: LogLine | null) => void>();
  ended = false;

  append(stream: string, chunk: string): void {
    const text = (this.partial.get(stream) ?? '') + chunk;
    const parts = text.split('\n');
    this.partial.set(stream, parts.pop() ?? '');
    for (const part of parts) {
      this.push(`${part}\n`);
    }
  }

  /** The container ended: flush unterminated output and end every follower. */
  end(): void {
    if (this.ended) {
      return;
    }
    for (const [stream, rest] of this.partial) {
      if (rest !== '') {
        this.push(rest);
      }
      this.partial.delete(stream);
    }
    this.ended = true;
    for (const follower of this.followers) {
      follower(null);
    }
    this.followers.clear();
  }

  /** Called with each new line, then with null when the container ends. Returns the unsubscribe function. */
  follow(onLine: (line: LogLine | null) => void): () => void {
    if (this.ended) {
      onLine(null);
      return () => {};
    }
    this.followers.add(onLine);
    return () => this.followers.delete(onLine);
  }

  select(query: LogQuery, now = Date.now()): LogLine[] {
    let lines = this.lines;
    if (query.sinceSeconds !== undefined) {
      const from = now - query.sinceSeconds * 1000;
      lines = lines.filter((l) => l.at >= from);
    }
    if (query.sinceTime !== undefined) {
      const from = query.sinceTime;
      lines = lines.filter((l) => l.at >= from);
    }
    if (query.tailLines !== undefined) {
      lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
    }
    return lines;
  }

  private push(text: string): void {
    const now = new Date();
    const line = { ts: now.toISOString().replace('Z', '000000Z'), at: now.getTime(), text };
    this.lines.push(line);
    for (const follower of this.followers) {
      follower(line);
    }
  }
}

export const formatLine = (line: LogLine, timestamps: boolean | undefined): string =>
  timestamps ? `${line.ts} ${line.text}` : line.text;
