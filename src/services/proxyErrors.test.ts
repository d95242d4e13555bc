import { ApiError } from '../api/client';
import { describeProxyError, explainProxyError } from './proxyErrors';

const grafana = (status: number, message: string) => new ApiError(status, 'grafana', message);

describe('describeProxyError', () => {
  it.each([
    [new ApiError(0, 'network', 'Failed to fetch'), 'Grafana could not be reached', true],
    [new ApiError(-1, 'grafana', 'TypeError: Failed to fetch'), 'Grafana could not be reached', true],
    [grafana(502, 'Bad Gateway'), 'The FlowKube proxy is unreachable', true],
    [grafana(504, 'Gateway Timeout'), 'The FlowKube proxy is unreachable', true],
    [grafana(404, 'plugin route match not found'), 'The FlowKube app is not set up', true],
    [grafana(500, 'Could not interpolate plugin route url'), 'The FlowKube app is misconfigured', true],
    [grafana(403, 'plugin proxy route access denied'), 'Grafana refused the request', false],
    [grafana(401, 'Unauthorized'), 'Your Grafana session has ended', false],
    [new ApiError(401, 'unauthorized', 'no bearer token'), 'The proxy got no token from Grafana', true],
    [
      new ApiError(403, 'forbidden', 'The read token cannot launch'),
      'The proxy refused the token for this action',
      true,
    ],
    [new ApiError(400, 'bad_request', 'params.x must be at most 3'), 'The proxy rejected the request', false],
    [new ApiError(503, 'not_ready', 'cache not synced'), 'The proxy is starting', false],
    [
      new ApiError(503, 'kube_unavailable', 'Kubernetes API unreachable'),
      'The proxy cannot work with Kubernetes',
      false,
    ],
    [new ApiError(500, 'internal', 'Internal error'), 'The proxy failed', false],
    [new ApiError(409, 'conflict', 'the job has not started'), 'Not possible right now', false],
    [new ApiError(404, 'not_found', 'job "x" not found'), 'The request failed', false],
  ])('names the failing hop for %p', (error, title, setup) => {
    const problem = describeProxyError(error);
    expect(problem.title).toBe(title);
    expect(problem.setup).toBe(setup);
    expect(problem.detail).toContain(error.message);
  });

  it('points setup problems at the configuration page', () => {
    expect(describeProxyError(grafana(502, 'Bad Gateway')).detail).toMatch(/proxy URL on the configuration page/);
    expect(describeProxyError(new ApiError(401, 'unauthorized', 'x')).detail).toMatch(
      /tokens on the configuration page.*FLOWKUBE_READ_TOKEN/
    );
  });

  it('names the token the proxy refused, read or launch', () => {
    const refused = new ApiError(403, 'token_rejected', 'the launch token was refused: it matches neither token');
    expect(describeProxyError(refused, 'launch')).toEqual({
      title: 'The proxy rejected Grafana’s token',
      detail: expect.stringMatching(/^The launch token was refused — set it on the app's configuration page/),
      setup: true,
    });
    expect(describeProxyError(refused).detail).toMatch(/^The read token was refused/);
  });

  it('says a launch of unknown outcome is safe to retry with the same Idempotency-Key', () => {
    const unknown = new ApiError(503, 'outcome_unknown', 'Kubernetes did not answer the create in time');
    const problem = describeProxyError(unknown, 'launch');
    expect(problem.title).toBe('The launch may or may not have happened');
    expect(problem.detail).toMatch(/same Idempotency-Key, so it makes at most one job/);
    expect(problem.setup).toBe(false);
  });

  it('says which limit refused a launch and when to retry', () => {
    const limited = new ApiError(429, 'limit_exceeded', 'cpu-load allows 2 running jobs; 2 are active', [], 90);
    expect(explainProxyError(limited, 'launch')).toBe(
      'Launch refused by a limit: cpu-load allows 2 running jobs; 2 are active. Try again in 1 min 30 s.'
    );
    expect(explainProxyError(new ApiError(429, 'limit_exceeded', 'too many.'), 'launch')).toMatch(
      /too many\. Try again later\.$/
    );
  });

  it('links a refused launch to the jobs that fill the limit: the template’s, or every active one', () => {
    const refused = (limit?: string) => new ApiError(429, 'limit_exceeded', 'full', [], 10, limit);
    expect(describeProxyError(refused('template:cpu-load'), 'launch')).toMatchObject({
      title: 'Launch refused: template "cpu-load" is at its limit of jobs at once',
      link: {
        text: 'See the running jobs of cpu-load',
        href: '/a/flowkube-jobs-app/jobs?template=cpu-load&phase=active',
      },
    });
    expect(describeProxyError(refused('FLOWKUBE_MAX_ACTIVE'), 'launch')).toMatchObject({
      title: 'Launch refused: FlowKube is at its limit of active jobs',
      link: { text: 'See the running jobs', href: '/a/flowkube-jobs-app/jobs?phase=active' },
    });
    expect(describeProxyError(refused(), 'launch').link).toBeUndefined();
  });

  it('tells a person a network failure during a launch can be retried safely', () => {
    const lost = new ApiError(0, 'network', 'Failed to fetch');
    expect(describeProxyError(lost, 'launch').detail).toMatch(/a retry will not make a second job/);
    expect(describeProxyError(lost).detail).not.toMatch(/second job/);
  });

  it('reminds that launching needs the Editor role when Grafana refuses a launch', () => {
    expect(describeProxyError(grafana(403, 'Permission denied'), 'launch').detail).toMatch(/Editor role/);
  });

  it('words a failed settings save as Grafana’s own answer, never as the proxy’s', () => {
    const save = (status: number) => describeProxyError(grafana(status, 'x'), 'settings');
    expect(save(403)).toMatchObject({ title: 'Grafana refused to save the settings', setup: false });
    expect(save(403).detail).toMatch(/Admin role/);
    expect(save(404).detail).toMatch(/not installed in this Grafana/);
    expect(save(500).title).toBe('Grafana could not save the settings');
    // none of them sends the person to the proxy URL, which has nothing to do with saving
    [403, 404, 500, 502].forEach((status) => expect(save(status).detail).not.toMatch(/proxy/i));
  });
});
