import { ApiError } from '../../api/client';
import { describeProxyError } from './describeProxyError';

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
    [new ApiError(401, 'unauthorized', 'Missing or invalid bearer token'), 'The proxy rejected Grafana’s token', true],
    [
      new ApiError(403, 'forbidden', 'The read token cannot launch'),
      'The proxy refused the token for this action',
      true,
    ],
    [new ApiError(503, 'not_ready', 'cache not synced'), 'The proxy is starting', false],
    [
      new ApiError(503, 'kube_unavailable', 'Kubernetes API unreachable'),
      'The proxy cannot work with Kubernetes',
      false,
    ],
    [new ApiError(500, 'internal', 'Internal error'), 'The request failed', false],
  ])('names the failing hop for %p', (error, title, setup) => {
    const problem = describeProxyError(error);
    expect(problem.title).toBe(title);
    expect(problem.setup).toBe(setup);
    expect(problem.detail).toContain(error.message);
  });

  it('points setup problems at the configuration page', () => {
    expect(describeProxyError(grafana(502, 'Bad Gateway')).detail).toMatch(/proxy URL on the configuration page/);
    expect(describeProxyError(new ApiError(401, 'unauthorized', 'x')).detail).toMatch(/configuration page/);
  });
});
