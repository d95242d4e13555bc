import { addRecentLaunch, readRecentLaunches, recentLaunchesKey } from './recentLaunches';

describe('recentLaunches', () => {
  it('keys by dashboard uid and panel id, since panel ids repeat across dashboards', () => {
    expect(recentLaunchesKey('/d/runbook-1/on-call', 4)).toBe('flowkube-launcher/runbook-1/4');
    expect(recentLaunchesKey('/d/runbook-2', 4)).toBe('flowkube-launcher/runbook-2/4');
    expect(recentLaunchesKey('/dashboard/new', 1)).toBe('flowkube-launcher//dashboard/new/1');
  });

  it('puts the newest first, without duplicates, and keeps at most 20', () => {
    let ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids = addRecentLaunch(ids, `job-${i}`);
    }
    expect(ids).toHaveLength(20);
    expect(ids[0]).toBe('job-24');
    expect(addRecentLaunch(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
  });

  it('starts over on a stored value it cannot read', () => {
    localStorage.setItem('k1', '{not json');
    localStorage.setItem('k2', '{"a":1}');
    localStorage.setItem('k3', '["x",2,"y"]');
    expect(readRecentLaunches(localStorage, 'k1')).toEqual([]);
    expect(readRecentLaunches(localStorage, 'k2')).toEqual([]);
    expect(readRecentLaunches(localStorage, 'k3')).toEqual(['x', 'y']);
    expect(readRecentLaunches(localStorage, 'missing')).toEqual([]);
  });
});
