import { renderHook, waitFor } from '@testing-library/react';
import { liveProxy } from '../testing/fakeProxy';
import { job } from '../testing/fixtures';
import { useJobLog } from './useJobLog';

const fetchMock = jest.fn();
const originalFetch = global.fetch;
beforeEach(() => {
  fetchMock.mockReset();
  global.fetch = fetchMock;
});
afterAll(() => {
  global.fetch = originalFetch;
});

describe('useJobLog', () => {
  it('explains a refused log stream as every other call’s failure is explained', async () => {
    // A finished job: one read, no reconnects.
    liveProxy([job({ id: 'log-gen-abcde', phase: 'Succeeded' })]);
    fetchMock.mockResolvedValue({
      ok: false,
      status: 403,
      body: null,
      text: async () => JSON.stringify({ error: { code: 'token_rejected', message: 'the read token was rejected' } }),
    });
    const { result } = renderHook(() => useJobLog('log-gen-abcde'));
    await waitFor(() => expect(result.current.error).toBeDefined());
    // proxyErrors.ts's words for token_rejected: what was refused and where to set it.
    expect(result.current.error).toMatch(/^The proxy rejected Grafana’s token: The read token was refused/);
    expect(result.current.error).toContain('configuration page');
  });

  it('says the browser got no answer when the request never reached Grafana', async () => {
    liveProxy([job({ id: 'log-gen-abcde', phase: 'Succeeded' })]);
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const { result } = renderHook(() => useJobLog('log-gen-abcde'));
    await waitFor(() => expect(result.current.error).toBeDefined());
    expect(result.current.error).toMatch(/^Grafana could not be reached: .*\(Failed to fetch\)/);
  });
});
