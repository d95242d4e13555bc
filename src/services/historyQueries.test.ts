import { parser } from '@grafana/lezer-logql';
import { AUDIT_EVENTS, AUDIT_STREAM_SELECTOR } from '@flowkube/backend-proxy/contract';
import { jobEvents } from '../testing/auditEvents';
import { historyExpr, jobHistoryExpr } from './historyQueries';

/** The parts of a LogQL query as Grafana's own grammar (its query editor's) reads them. */
function parts(expr: string) {
  const found = {
    error: [] as string[],
    Selector: [] as string[],
    LineFilter: [] as string[],
    JsonExpressionParser: [] as string[],
  };
  const labelFilters: Array<{ name: string; op: string; value: string }> = [];
  parser.parse(expr).iterate({
    enter(node) {
      const text = expr.slice(node.from, node.to);
      if (node.type.isError) {
        found.error.push(`${node.from}`);
      } else if (node.name in found) {
        found[node.name as keyof typeof found].push(text);
      } else if (node.name === 'LabelFilter') {
        const [, name, op, value] = /^(\w+)\s*(=~|!~|!=|=)\s*(".*")$/.exec(text)!;
        labelFilters.push({ name, op, value: JSON.parse(value) });
      }
    },
  });
  return { ...found, labelFilters };
}

/** A Loki line filter's string, as the text it looks for. */
const lineFilterText = (filter: string) => JSON.parse(filter.replace(/^\|=\s*/, ''));

describe('history LogQL', () => {
  it('has a grammar check that catches a broken query', () => {
    expect(parts('{app="a" | json event=').error).not.toEqual([]);
  });

  it('reads the audit stream and keeps only job transitions, by the parsed event field', () => {
    const p = parts(historyExpr());
    expect(p.error).toEqual([]);
    expect(p.Selector).toEqual([AUDIT_STREAM_SELECTOR]);
    expect(AUDIT_STREAM_SELECTOR).toBe('{app="flowkube-proxy", stream="audit"}');
    expect(p.JsonExpressionParser).toEqual(['json event="event"']);
    expect(p.labelFilters).toHaveLength(1);
    const [{ name, op, value }] = p.labelFilters;
    expect([name, op]).toEqual(['event', '=~']);
    // Loki anchors a label regex at both ends
    const kept = AUDIT_EVENTS.filter((kind) => new RegExp(`^(?:${value})$`).test(kind));
    expect(kept).toEqual(['launched', 'rejected', 'started', 'finished', 'cancelled', 'purged']);
  });

  it('finds one job by a line filter the proxy’s line matches, then by the exact parsed id', () => {
    const p = parts(jobHistoryExpr('log-gen-abcde'));
    expect(p.error).toEqual([]);
    expect(p.Selector).toEqual([AUDIT_STREAM_SELECTOR]);
    expect(p.LineFilter).toHaveLength(1);
    const text = lineFilterText(p.LineFilter[0]);
    expect(JSON.stringify(jobEvents().launched)).toContain(text);
    expect(JSON.stringify(jobEvents({ id: 'log-gen-abcdef' }).launched)).not.toContain(text);
    expect(p.JsonExpressionParser).toEqual(['json jobId="jobId"']);
    expect(p.labelFilters).toEqual([{ name: 'jobId', op: '=', value: 'log-gen-abcde' }]);
  });

  it('quotes an id rather than letting it end the string', () => {
    const p = parts(jobHistoryExpr('a"b'));
    expect(p.error).toEqual([]);
    expect(p.labelFilters).toEqual([{ name: 'jobId', op: '=', value: 'a"b' }]);
    expect(lineFilterText(p.LineFilter[0])).toBe('"jobId":"a\\"b"');
  });
});
