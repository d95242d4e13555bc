import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { job } from '../testing/fixtures';
import { exploreUrl, jobLogsExploreUrl } from './exploreUrl';
import { jobCpuExpr, jobLogsExpr, jobMemoryExpr } from './jobQueries';

/** Node names of every syntax error the grammar found (`⚠` is lezer's error node). */
function syntaxErrors(parser: typeof logqlParser, text: string): number[] {
  const errors: number[] = [];
  parser.parse(text).iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
  return errors;
}

describe('job queries', () => {
  it('has a syntax check that does catch broken queries', () => {
    expect(syntaxErrors(logqlParser, '{namespace="a" | pod=')).not.toEqual([]);
    expect(syntaxErrors(promqlParser as unknown as typeof logqlParser, 'sum(rate(x[1m])')).not.toEqual([]);
  });

  it('selects the stream by job_type and filters the Pod as structured metadata', () => {
    const expr = jobLogsExpr('cpu-load', 'cpu-load-x7k2p');
    expect(expr).toBe(
      '{namespace="flowkube-jobs", job_type="cpu-load"} | pod="cpu-load-x7k2p" | json | level=~"$level"'
    );
    expect(syntaxErrors(logqlParser, jobLogsExpr('cpu-load', 'cpu-load-x7k2p', 'INFO|WARN'))).toEqual([]);
  });

  it('escapes quotes rather than letting a value end the string', () => {
    expect(jobLogsExpr('a"b', 'c', '.+')).toContain('job_type="a\\"b"');
    expect(syntaxErrors(logqlParser, jobLogsExpr('a"b', 'c', '.+'))).toEqual([]);
  });

  it('reads CPU and memory of the Pod from cAdvisor series, in valid PromQL', () => {
    expect(jobCpuExpr('basic-abcde')).toBe(
      'sum(rate(container_cpu_usage_seconds_total{namespace="flowkube-jobs", pod="basic-abcde", container!=""}[1m]))'
    );
    expect(jobMemoryExpr('basic-abcde')).toContain('container_memory_working_set_bytes{namespace="flowkube-jobs"');
    expect(syntaxErrors(promqlParser as unknown as typeof logqlParser, jobCpuExpr('basic-abcde'))).toEqual([]);
    expect(syntaxErrors(promqlParser as unknown as typeof logqlParser, jobMemoryExpr('basic-abcde'))).toEqual([]);
  });
});

describe('exploreUrl', () => {
  it('carries the data source, the query and the time range in one Explore pane', () => {
    const expr = jobLogsExpr('basic', 'basic-abcde', 'ERROR');
    const url = exploreUrl({ datasource: { type: 'loki', uid: 'flowkube-loki' }, expr, from: 'now-1h', to: 'now' });
    expect(url.startsWith('/explore?')).toBe(true);
    const query = new URLSearchParams(url.slice('/explore?'.length));
    expect(query.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(query.get('panes')!);
    expect(Object.values(panes)).toEqual([
      {
        datasource: 'flowkube-loki',
        queries: [{ refId: 'A', expr, datasource: { type: 'loki', uid: 'flowkube-loki' } }],
        range: { from: 'now-1h', to: 'now' },
      },
    ]);
  });
});

describe('jobLogsExploreUrl', () => {
  it('opens every line of the job over its lifetime, absolute times as epoch milliseconds', () => {
    const finished = job({
      id: 'basic-abcde',
      createdAt: '2026-11-26T22:00:00Z',
      finishedAt: '2026-11-26T22:05:00Z',
    });
    const url = jobLogsExploreUrl(finished, 'flowkube-loki');
    const [pane] = Object.values(JSON.parse(new URLSearchParams(url.split('?')[1]).get('panes')!)) as Array<{
      queries: Array<{ expr: string }>;
      range: { from: string; to: string };
    }>;
    expect(pane.queries[0].expr).toBe(jobLogsExpr('basic', 'basic-abcde', '.+'));
    expect(pane.range).toEqual({
      from: String(Date.parse('2026-11-26T21:59:00Z')),
      to: String(Date.parse('2026-11-26T22:06:00Z')),
    });
    expect(jobLogsExploreUrl({ ...finished, finishedAt: undefined }, 'flowkube-loki')).toContain(
      '%22to%22%3A%22now%22'
    );
  });
});
