import { ApiError, listJobs } from './client';
import { installFakeBackendSrv, proxyError } from '../testing/fakeBackendSrv';

async function errorFor(answer: { status: number; data: unknown }): Promise<ApiError> {
  installFakeBackendSrv(() => answer);
  return listJobs().then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: ApiError) => err
  );
}

describe('ApiError from an error answer', () => {
  it('keeps the proxy’s code, message and fields', async () => {
    const err = await errorFor(
      proxyError(400, 'bad_request', 'Invalid parameters', { fields: [{ field: 'params.x', message: 'too big' }] })
    );
    expect(err).toMatchObject({ status: 400, code: 'bad_request', message: 'Invalid parameters' });
    expect(err.fields).toEqual([{ field: 'params.x', message: 'too big' }]);
  });

  it('recognises Grafana’s own answer when the proxy is unreachable (empty 502, reshaped by backendSrv)', async () => {
    // What Grafana's backendSrv makes of a non-JSON error body: `error` is the status text, not a proxy error.
    const err = await errorFor({ status: 502, data: { message: 'Bad Gateway', error: 'Bad Gateway', response: '' } });
    expect(err).toMatchObject({ status: 502, code: 'grafana', message: 'Bad Gateway' });
  });

  it('recognises Grafana’s JSON answers (no route, no permission)', async () => {
    const err = await errorFor({ status: 403, data: { message: 'plugin proxy route access denied' } });
    expect(err).toMatchObject({ status: 403, code: 'grafana', message: 'plugin proxy route access denied' });
  });
});
