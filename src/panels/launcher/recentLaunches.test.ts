import { job } from '../../testing/fixtures';
import { applyToRecent, panelSource, recentJobs } from './recentLaunches';

describe('panelSource', () => {
  // Grafana's ${__dashboard.uid} and ${__dashboard} (the title); other variables as the dashboard has them.
  const grafana = (variables: Record<string, string>) => (text: string) =>
    text.replace(
      /\$\{([\w.]+)\}|\$(\w+)/g,
      (whole, braced?: string, bare?: string) => variables[(braced ?? bare)!] ?? whole
    );

  it('names the dashboard by its UID, and titles it with the dashboard and the panel', () => {
    const vars = grafana({ '__dashboard.uid': 'runbook-1', __dashboard: 'On-call', host: 'node-3' });
    expect(panelSource(4, 'Restart $host', vars, '/d/ignored')).toEqual({
      dashboardUid: 'runbook-1',
      panelId: 4,
      title: 'On-call / Restart node-3',
    });
  });

  it('falls back to the /d/<uid> address where the macro is not interpolated', () => {
    expect(panelSource(2, '', grafana({}), '/d/runbook_2/on-call')).toEqual({ dashboardUid: 'runbook_2', panelId: 2 });
  });

  it('has none for a dashboard not saved yet, or with a UID the proxy would refuse', () => {
    expect(panelSource(1, 'x', grafana({}), '/dashboard/new')).toBeUndefined();
    expect(panelSource(1, 'x', grafana({ '__dashboard.uid': '' }), '/dashboard/new')).toBeUndefined();
    expect(panelSource(1, 'x', grafana({}), `/d/${'u'.repeat(41)}`)).toBeUndefined();
  });

  it('cuts a long title to what the proxy keeps', () => {
    const vars = grafana({ '__dashboard.uid': 'd', __dashboard: 'D'.repeat(300) });
    expect(panelSource(1, 'Panel', vars, '/')?.title).toHaveLength(200);
  });
});

describe('recentJobs', () => {
  const from = (dashboardUid: string, panelId: number) => ({ dashboardUid, panelId });
  const source = from('runbook', 4);

  it("keeps this panel's jobs, newest first, each once with its latest copy, at most `limit`", () => {
    const jobs = [
      job({ id: 'a', createdAt: '2026-12-01T10:00:00Z', source }),
      job({ id: 'b', createdAt: '2026-12-01T11:00:00Z', source }),
      job({ id: 'other-panel', createdAt: '2026-12-01T12:00:00Z', source: from('runbook', 5) }),
      job({ id: 'other-dashboard', createdAt: '2026-12-01T12:00:00Z', source: from('elsewhere', 4) }),
      job({ id: 'by-hand', createdAt: '2026-12-01T12:00:00Z' }),
      job({ id: 'a', createdAt: '2026-12-01T10:00:00Z', source, phase: 'Running' }),
      job({ id: 'c', createdAt: '2026-12-01T09:00:00Z', source }),
    ];
    const recent = recentJobs(jobs, source, 2);
    expect(recent.map((j) => j.id)).toEqual(['b', 'a']);
    expect(recent[1].phase).toBe('Running');
    expect(recentJobs(jobs, source, 0)).toEqual([]);
  });
});

describe('applyToRecent', () => {
  const source = { dashboardUid: 'runbook', panelId: 4 };
  const listed = job({ id: 'a', createdAt: '2026-12-01T10:00:00Z', source });
  const recent = { jobs: [listed], gone: [] };

  it("takes this panel's new and changed jobs, newest first, at most `limit`, and nobody else's", () => {
    const newer = job({ id: 'b', createdAt: '2026-12-01T11:00:00Z', source });
    const other = job({ id: 'c', createdAt: '2026-12-01T12:00:00Z', source: { ...source, panelId: 5 } });
    const next = applyToRecent(
      recent,
      { items: [{ ...listed, phase: 'Running' }, newer, other], removed: [] },
      source,
      5
    );
    expect(next.jobs.map((j) => [j.id, j.phase])).toEqual([
      ['b', 'Pending'],
      ['a', 'Running'],
    ]);
    expect(applyToRecent(recent, { items: [newer], removed: [] }, source, 1).jobs.map((j) => j.id)).toEqual(['b']);
    expect(applyToRecent(recent, { items: [other], removed: ['zzz'] }, source, 5)).toBe(recent);
  });

  it('keeps a job reported gone, marked once', () => {
    const gone = applyToRecent(recent, { items: [], removed: ['a'] }, source, 5);
    expect(gone).toEqual({ jobs: [listed], gone: ['a'] });
    expect(applyToRecent(gone, { items: [], removed: ['a'] }, source, 5)).toBe(gone);
  });
});
