import dashboard from '../../dashboards/logs.json';
import { job } from '../../testing/fixtures';
import { LOGS_DASHBOARD_UID, logsDashboardUrl } from './logsDashboardUrl';

describe('logsDashboardUrl', () => {
  it('opens the Job logs dashboard on this job, its template and its lifetime', () => {
    const url = logsDashboardUrl(
      job({
        id: 'log-gen-abcde',
        template: 'log-gen',
        createdAt: '2026-11-26T22:00:00Z',
        finishedAt: '2026-11-26T22:01:00Z',
      })
    );
    const [path, search] = url.split('?');
    expect(path).toBe('/d/flowkube-logs');
    const q = new URLSearchParams(search);
    expect(q.get('var-job')).toBe('log-gen-abcde');
    expect(q.get('var-job_type')).toBe('log-gen');
    expect(q.get('from')).toBe(String(Date.parse('2026-11-26T21:59:00Z')));
    expect(q.get('to')).toBe(String(Date.parse('2026-11-26T22:02:00Z')));
  });

  it('keeps following a running job and quotes regex characters', () => {
    const q = new URLSearchParams(logsDashboardUrl(job({ id: 'a.b', finishedAt: undefined })).split('?')[1]);
    expect(q.get('to')).toBe('now');
    expect(q.get('var-job')).toBe('a\\.b');
  });

  it('names the uid and variables the provisioned dashboard really has', () => {
    expect(dashboard.uid).toBe(LOGS_DASHBOARD_UID);
    const names = dashboard.templating.list.map((v: { name: string }) => v.name);
    expect(names).toEqual(expect.arrayContaining(['job', 'job_type']));
  });
});
