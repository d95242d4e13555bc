import React from 'react';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FakeProxy } from '../../testing/fakeProxy';
import { job, logGenTemplate } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { RerunButton } from './RerunButton';

const seeded = {
  ...logGenTemplate,
  params: {
    ...logGenTemplate.params,
    properties: { ...logGenTemplate.params.properties, seed: { type: 'integer' as const, minimum: 0 } },
  },
};
const ran = job({
  id: 'log-gen-abcde',
  template: 'log-gen',
  params: { tasks: 3, taskIntervalMs: 500, fail: false, level: 'INFO' },
  startedAt: '2026-11-26T22:00:02Z',
});
const launchedParams = (url: string) => JSON.parse(new URLSearchParams(url.split('?')[1]).get('params')!);

const fetchMock = jest.fn();
beforeEach(() => {
  signInAs('Editor');
  fetchMock.mockReset();
  global.fetch = fetchMock;
  new FakeProxy().on('GET', 'api/v1/templates', { status: 200, data: { items: [seeded] } }).install();
});

describe('RerunButton', () => {
  it('carries the seed the worker drew, read from its log, to Launch', async () => {
    fetchMock.mockResolvedValueOnce({
      ok: true,
      status: 200,
      text: async () => '{"level":"INFO","msg":"log generation started","seed":1804289383}\n',
    });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    render(<RerunButton job={ran} testId="rerun" />);
    // the link itself still works without script: the launched values
    expect(launchedParams(screen.getByTestId('rerun').getAttribute('href')!)).toEqual(ran.params);
    fireEvent.click(screen.getByTestId('rerun'));
    await waitFor(() => expect(push).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0][0]).toBe('/api/plugin-proxy/flowkube-jobs-app/api/v1/jobs/log-gen-abcde/logs');
    expect(launchedParams(push.mock.calls[0][0] as string)).toEqual({ ...ran.params, seed: 1804289383 });
    push.mockRestore();
  });

  it('falls back to the launched values when the log cannot be read', async () => {
    fetchMock.mockResolvedValueOnce({ ok: false, status: 404, text: async () => '{"message":"gone"}' });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    render(<RerunButton job={ran} testId="rerun" />);
    fireEvent.click(screen.getByTestId('rerun'));
    await waitFor(() => expect(push).toHaveBeenCalled());
    expect(launchedParams(push.mock.calls[0][0] as string)).toEqual(ran.params);
    push.mockRestore();
  });
});
