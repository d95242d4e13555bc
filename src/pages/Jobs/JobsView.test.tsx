import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { act, configure, fireEvent, render as rtlRender, screen, waitFor, within } from '@testing-library/react';
import type { Job } from '../../api/types';
import { testIds } from '../../components/testIds';
import { captureAppEvents } from '../../testing/appEvents';
import { type FakeAnswer, proxyError } from '../../testing/fakeBackendSrv';
import { liveProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { JobsView } from './JobsView';

const running = job({ id: 'cpu-load-aaaaa', template: 'cpu-load', phase: 'Running', params: { durationSeconds: 30 } });
const failed = job({
  id: 'log-gen-bbbbb',
  template: 'log-gen',
  phase: 'Failed',
  reason: 'OOMKilled',
  launchedBy: 'bob',
});
const done = job({ id: 'basic-ccccc', template: 'basic', phase: 'Succeeded', exitCode: 0 });

/** A proxy that lists `jobs` (or fails with `failure`) and holds every long-poll open: nothing changes. */
const proxyWith = (list: Job[] | FakeAnswer) => (Array.isArray(list) ? liveProxy(list) : liveProxy([], list));

// Grafana renders app pages inside its router; links need one.
const render = (ui: React.ReactElement, path = '/jobs') =>
  rtlRender(<MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>);
const rowIds = () => screen.queryAllByTestId(/jobs-row-/).map((el) => el.textContent);

// @grafana/ui tables render slowly on a busy 2-core machine; this is patience, not a timing assertion.
configure({ asyncUtilTimeout: 10000 });
jest.setTimeout(30000);

let toasts: ReturnType<typeof captureAppEvents>;
beforeEach(() => {
  signInAs('Editor');
  toasts = captureAppEvents();
});

describe('Jobs page', () => {
  it('lists the jobs with phase, outcome and filters them', async () => {
    proxyWith([running, failed, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    expect(screen.getByText('OOMKilled')).toBeInTheDocument();
    expect(screen.getByText('exit 0')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: 'Failed' }));
    expect(rowIds()).toEqual([failed.id]);

    fireEvent.click(screen.getByRole('radio', { name: 'All' }));
    fireEvent.change(screen.getByPlaceholderText(/Search id/), { target: { value: 'ccccc' } });
    expect(rowIds()).toEqual([done.id]);
  });

  it('takes its filters from the URL, so a filtered list can be shared', async () => {
    proxyWith([running, failed, done]);
    render(<JobsView />, '/jobs?phase=Failed&q=bob');
    await waitFor(() => expect(rowIds()).toEqual([failed.id]));
    expect(screen.getByRole('radio', { name: 'Failed' })).toBeChecked();
    expect(screen.getByPlaceholderText(/Search id/)).toHaveValue('bob');
  });

  it('filters by template', async () => {
    // Combobox virtualises its menu from the scroll element's client size, which jsdom reports as 0.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
    proxyWith([running, failed, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(3));

    fireEvent.keyDown(within(screen.getByTestId(testIds.jobs.filterTemplate)).getByRole('combobox'), {
      key: 'ArrowDown',
    });
    fireEvent.click(await screen.findByRole('option', { name: 'log-gen' }));
    expect(rowIds()).toEqual([failed.id]);
    jest.restoreAllMocks();
  });

  it('cancels a running job only after confirmation, with a DELETE through the launch route', async () => {
    const proxy = proxyWith([running, done]).on('DELETE', `api/v1/jobs/${running.id}`, {
      status: 202,
      data: { job: { ...running, deletedAt: '2026-11-26T22:01:00Z' } },
    });
    render(<JobsView />);
    fireEvent.click(await screen.findByTestId(testIds.jobs.cancel(running.id)));
    expect(proxy.calls('DELETE', running.id)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(proxy.calls('DELETE', `api/v1/jobs/${running.id}`)).toHaveLength(1));
    await waitFor(() => expect(toasts).toEqual([{ type: 'alert-success', payload: ['Cancel requested', running.id] }]));
    expect(screen.getByTestId(testIds.jobs.cancel(done.id))).toHaveAttribute('aria-disabled', 'true');
  });

  it('keeps the cancel confirmation open while the running durations tick', async () => {
    jest.useFakeTimers();
    proxyWith([running]);
    render(<JobsView />);
    fireEvent.click(await screen.findByTestId(testIds.jobs.cancel(running.id)));
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeInTheDocument();

    await act(async () => void jest.advanceTimersByTime(3000));
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeInTheDocument();
    jest.useRealTimers();
  });

  it('links re-run to Launch with the same template and parameters', async () => {
    proxyWith([running]);
    render(<JobsView />);
    const href = (await screen.findByTestId(testIds.jobs.rerun(running.id))).getAttribute('href')!;
    const query = new URLSearchParams(href.split('?')[1]);
    expect(href.startsWith('/a/flowkube-jobs-app/launch?')).toBe(true);
    expect(query.get('template')).toBe('cpu-load');
    expect(JSON.parse(query.get('params')!)).toEqual({ durationSeconds: 30 });
  });

  it('points to Launch when there are no jobs', async () => {
    proxyWith([]);
    render(<JobsView />);
    const empty = await screen.findByTestId(testIds.jobs.empty);
    expect(within(empty).getByText('No jobs yet')).toBeInTheDocument();
    expect(within(empty).getByRole('link', { name: /Launch a job/ })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/launch'
    );
  });

  it('says the proxy is unreachable and links to the configuration page', async () => {
    // Grafana answers an empty 502 when it cannot connect; its backendSrv reshapes the empty body like this.
    proxyWith({ status: 502, data: { message: 'Bad Gateway', error: 'Bad Gateway', response: '' } });
    render(<JobsView />);
    const banner = await screen.findByTestId(testIds.proxyError.banner);
    expect(banner).toHaveTextContent('The FlowKube proxy is unreachable');
    expect(banner).toHaveTextContent('Check the proxy URL');
    expect(banner).toHaveTextContent('HTTP 502: Bad Gateway');
    expect(within(banner).getByRole('link', { name: /configuration page/ })).toHaveAttribute(
      'href',
      '/plugins/flowkube-jobs-app'
    );
  });

  it('says the tokens are missing when the proxy answers 401', async () => {
    proxyWith(proxyError(401, 'unauthorized', 'no bearer token: send Authorization: Bearer <token>'));
    render(<JobsView />);
    const banner = await screen.findByTestId(testIds.proxyError.banner);
    expect(banner).toHaveTextContent('The proxy got no token from Grafana');
    expect(banner).toHaveTextContent('read and launch tokens');
    expect(within(banner).getByRole('link', { name: /configuration page/ })).toBeInTheDocument();
  });

  it('disables cancel and re-run for a Viewer, saying why', async () => {
    signInAs('Viewer');
    proxyWith([running]);
    render(<JobsView />);
    const cancel = await screen.findByTestId(testIds.jobs.cancel(running.id));
    expect(cancel).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(cancel);
    expect(screen.queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.jobs.rerun(running.id))).toHaveAttribute('aria-disabled', 'true');
  });

  it('links a scheduled run to its schedule, and filters by schedule from the URL', async () => {
    const run = job({ id: 'basic-nightly-29433-abcde', schedule: 'basic-nightly', phase: 'Succeeded' });
    proxyWith([run, done]);
    render(<JobsView />, '/jobs?schedule=basic-nightly');
    await waitFor(() => expect(rowIds()).toEqual([run.id]));
    const rowOf = screen.getByTestId(testIds.jobs.row(run.id)).closest('tr') as HTMLElement;
    expect(within(rowOf).getByRole('link', { name: 'basic-nightly' })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/schedules/basic-nightly'
    );
  });

  it('says a job launched by hand has no schedule', async () => {
    proxyWith([done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toEqual([done.id]));
    expect(screen.getByTestId(testIds.jobs.row(done.id)).closest('tr')).toHaveTextContent('by hand');
  });
});
