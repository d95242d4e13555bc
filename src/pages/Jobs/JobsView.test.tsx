import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { act, fireEvent, render as rtlRender, screen, waitFor, within } from '@testing-library/react';
import { dateTimeFormat } from '@grafana/data';
import type { Job } from '../../api/types';
import { testIds } from '../../components/testIds';
import { captureAppEvents } from '../../testing/appEvents';
import { type FakeAnswer, proxyError } from '../../testing/fakeBackendSrv';
import { serveJobList } from '../../testing/fakeJobList';
import { FakeProxy, heldChanges } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { JobsView } from './JobsView';

const running = job({ id: 'cpu-load-aaaaa', template: 'cpu-load', phase: 'Running', params: { durationSeconds: 30 } });
const pending = job({ id: 'basic-ppppp', template: 'basic', phase: 'Pending' });
const failed = job({
  id: 'log-gen-bbbbb',
  template: 'log-gen',
  phase: 'Failed',
  reason: 'OOMKilled',
  launchedBy: 'bob',
});
const done = job({ id: 'basic-ccccc', template: 'basic', phase: 'Succeeded', exitCode: 0 });
const AT_CANCEL = '2026-11-26T22:01:00Z';

const many = (n: number) =>
  Array.from({ length: n }, (_, i) => job({ id: `basic-${String(i).padStart(3, '0')}`, phase: 'Succeeded' }));

/**
 * A proxy listing `list` (its current value at each request) through GET /jobs, and serving /changes live: the loop's
 * start answers at once (or with `changesFailure`), every long-poll after it waits until the test answers it.
 */
function proxyWith(list: Job[] | (() => Job[]), changesFailure?: FakeAnswer) {
  const source = typeof list === 'function' ? list : () => list;
  const proxy = serveJobList(new FakeProxy(), source).install();
  const { answerChanges: answerPoll } = heldChanges(proxy, changesFailure);
  const listCalls = () => proxy.calls('GET', 'api/v1/jobs').map((r) => r.params ?? {});
  return { proxy, listCalls, answerPoll };
}

// Grafana renders app pages inside its router; links need one.
const render = (ui: React.ReactElement, path = '/jobs') =>
  rtlRender(<MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>);
const rowIds = () => screen.queryAllByTestId(/jobs-row-/).map((el) => el.textContent);
const rowOf = (id: string) => screen.getByTestId(testIds.jobs.row(id)).closest('tr') as HTMLElement;
const phaseRadio = (name: string) => screen.getByRole('radio', { name: new RegExp(`^${name} \\d+$`) });

let toasts: ReturnType<typeof captureAppEvents>;
beforeEach(() => {
  signInAs('Editor');
  toasts = captureAppEvents();
});

describe('Jobs page', () => {
  it('asks the proxy for one page, newest first, and shows the outcome of each job', async () => {
    const { listCalls } = proxyWith([running, failed, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toEqual([running.id, failed.id, done.id]));
    expect(listCalls()[0]).toMatchObject({ sort: 'created', order: 'desc', limit: 25 });
    expect(screen.getByText('OOMKilled')).toBeInTheDocument();
    expect(screen.getByText('exit 0')).toBeInTheDocument();
  });

  it('shows the per-phase counts in the filter bar and filters by phase and search through the proxy', async () => {
    const { listCalls } = proxyWith([running, failed, done, job({ id: 'log-gen-ddddd', phase: 'Failed' })]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    expect(phaseRadio('All')).toHaveAccessibleName('All 4');
    expect(phaseRadio('Failed')).toHaveAccessibleName('Failed 2');
    expect(phaseRadio('Pending')).toHaveAccessibleName('Pending 0');

    fireEvent.click(phaseRadio('Failed'));
    await waitFor(() => expect(rowIds()).toEqual([failed.id, 'log-gen-ddddd']));
    expect(listCalls().at(-1)).toMatchObject({ phase: 'Failed' });
    // the counts ignore the phase filter, so the other phases stay choosable with their numbers
    expect(phaseRadio('Running')).toHaveAccessibleName('Running 1');

    fireEvent.click(phaseRadio('All'));
    // sent as typed: a hyphen is not escaped as if the proxy took a regular expression
    fireEvent.change(screen.getByPlaceholderText(/Search id/), { target: { value: 'basic-ccccc' } });
    await waitFor(() => expect(rowIds()).toEqual([done.id]));
    expect(listCalls().at(-1)).toMatchObject({ q: 'basic-ccccc' });
    expect(listCalls().at(-1)?.phase).toBeUndefined();
  });

  it('takes its filters, sort and page size from the URL, so a filtered list can be shared', async () => {
    const { listCalls } = proxyWith([running, failed, done]);
    render(<JobsView />, '/jobs?phase=Failed&q=bob&sort=duration&order=asc&size=50');
    await waitFor(() => expect(rowIds()).toEqual([failed.id]));
    expect(listCalls()[0]).toMatchObject({ phase: 'Failed', q: 'bob', sort: 'duration', order: 'asc', limit: 50 });
    expect(phaseRadio('Failed')).toBeChecked();
    expect(screen.getByPlaceholderText(/Search id/)).toHaveValue('bob');
    expect(within(screen.getByTestId(testIds.jobs.pageSize)).getByRole('radio', { name: '50' })).toBeChecked();
  });

  it('filters the active jobs (what the launch limits count) with their count, and a cancel takes one out live', async () => {
    const stopping = job({ id: 'cpu-load-sssss', template: 'cpu-load', phase: 'Running', cancelledAt: AT_CANCEL });
    let list = [running, pending, stopping, done];
    const { listCalls, answerPoll } = proxyWith(() => list);
    render(<JobsView />, '/jobs?phase=active');
    await waitFor(() => expect(rowIds()).toEqual([running.id, pending.id]));
    expect(listCalls()[0]).toMatchObject({ phase: 'active' });
    expect(phaseRadio('Active')).toBeChecked();
    // the job being cancelled is still Running, but no longer active: Pending + Running would say 3
    expect(phaseRadio('Active')).toHaveAccessibleName('Active 2');
    expect(phaseRadio('Running')).toHaveAccessibleName('Running 2');
    expect(screen.getByTestId(testIds.jobs.pageInfo)).toHaveTextContent('1–2 of 2');

    const cancelled = { ...running, cancelledAt: AT_CANCEL, cancelledBy: 'alice' };
    list = [cancelled, pending, stopping, done];
    await answerPoll([cancelled]);
    await waitFor(() => expect(rowIds()).toEqual([pending.id]));
    expect(phaseRadio('Active')).toHaveAccessibleName('Active 1');
    expect(listCalls().at(-1)).toMatchObject({ phase: 'active' });

    fireEvent.click(phaseRadio('All'));
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    fireEvent.click(phaseRadio('Active'));
    await waitFor(() => expect(rowIds()).toEqual([pending.id]));
  });

  it('shows Active without a count when the answer has none, rather than a sum that may be wrong', async () => {
    const proxy = new FakeProxy()
      .on('GET', 'api/v1/jobs', { status: 200, data: { items: [running], counts: { Running: 1 } } })
      .install();
    heldChanges(proxy);
    render(<JobsView />, '/jobs?phase=active');
    await waitFor(() => expect(rowIds()).toEqual([running.id]));
    expect(screen.getByRole('radio', { name: 'Active' })).toBeChecked();
    expect(screen.getByTestId(testIds.jobs.pageInfo)).toHaveTextContent(/^1–1$/);
  });

  it('walks the pages with the proxy cursors, forward and back, and changes the page size', async () => {
    const { listCalls } = proxyWith(many(60));
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(25));
    expect(screen.getByTestId(testIds.jobs.pageInfo)).toHaveTextContent('1–25 of 60');
    expect(screen.getByTestId(testIds.jobs.previous)).toBeDisabled();

    fireEvent.click(screen.getByTestId(testIds.jobs.next));
    await waitFor(() => expect(rowIds()[0]).toBe('basic-025'));
    expect(listCalls().at(-1)).toMatchObject({ continue: '25', limit: 25 });
    fireEvent.click(screen.getByTestId(testIds.jobs.next));
    await waitFor(() => expect(rowIds()).toHaveLength(10));
    expect(screen.getByTestId(testIds.jobs.pageInfo)).toHaveTextContent('51–60 of 60');
    expect(screen.getByTestId(testIds.jobs.next)).toBeDisabled();

    // back is the cursor this walk was given for that page, not a new walk
    fireEvent.click(screen.getByTestId(testIds.jobs.previous));
    await waitFor(() => expect(rowIds()[0]).toBe('basic-025'));
    expect(listCalls().at(-1)).toMatchObject({ continue: '25' });

    fireEvent.click(within(screen.getByTestId(testIds.jobs.pageSize)).getByRole('radio', { name: '50' }));
    await waitFor(() => expect(rowIds()).toHaveLength(50));
    expect(listCalls().at(-1)).toMatchObject({ limit: 50 });
    expect(listCalls().at(-1)?.continue).toBeUndefined();
    expect(screen.getByTestId(testIds.jobs.pageInfo)).toHaveTextContent('1–50 of 60');
  });

  it('sorts through the proxy when a column header is clicked', async () => {
    const { listCalls } = proxyWith([running, failed, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    fireEvent.click(screen.getByRole('button', { name: 'Sort column Created' }));
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ sort: 'created', order: 'asc' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sort column Duration' }));
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ sort: 'duration', order: 'desc' }));
  });

  it('applies live changes to the rows at once, and asks for the page again when jobs come', async () => {
    let list = [running, done];
    const { answerPoll } = proxyWith(() => list);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toEqual([running.id, done.id]));

    // a cancel mark changes no phase: the row shows it without a request (no Cancel button any more)
    await answerPoll([{ ...running, cancelledAt: '2026-11-26T22:01:00Z' }]);
    await waitFor(() => expect(screen.queryByTestId(testIds.jobs.cancel(running.id))).not.toBeInTheDocument());

    const fresh = job({ id: 'basic-nnnnn', phase: 'Pending', createdAt: '2026-11-26T22:05:00Z' });
    list = [fresh, { ...running, phase: 'Cancelled' }, done];
    await answerPoll([fresh, { ...running, phase: 'Cancelled' }]);
    // the phase shows from the live change, the new job from the page asked again
    await waitFor(() => expect(within(rowOf(running.id)).getByText('Cancelled')).toBeInTheDocument());
    await waitFor(() => expect(rowIds()).toEqual([fresh.id, running.id, done.id]));
  });

  it('offers "Clear filters" when nothing matches, and clearing shows the jobs again', async () => {
    const { listCalls } = proxyWith([running, done]);
    render(<JobsView />, '/jobs?q=nothing-like-this&phase=Failed&size=50');
    const noMatch = await screen.findByTestId(testIds.jobs.noMatch);
    expect(noMatch).toHaveTextContent('No jobs match these filters');
    fireEvent.click(within(noMatch).getByTestId(testIds.jobs.clearFilters));
    await waitFor(() => expect(rowIds()).toEqual([running.id, done.id]));
    const last = listCalls().at(-1)!;
    expect([last.q, last.phase, last.limit]).toEqual([undefined, undefined, 50]);
  });

  it('cancels the selected jobs after one confirmation naming the count, reporting each result', async () => {
    const { proxy } = proxyWith([running, pending, failed]);
    proxy
      .on('DELETE', `api/v1/jobs/${running.id}`, { status: 202, data: { job: running } })
      .on('DELETE', `api/v1/jobs/${pending.id}`, proxyError(404, 'not_found', `job ${pending.id} not found`));
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    // a finished job has nothing to cancel: no checkbox
    expect(screen.queryByTestId(testIds.jobs.select(failed.id))).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId(testIds.jobs.selectAll));
    expect(screen.getByTestId(testIds.jobs.bulkCancel)).toHaveTextContent('Cancel 2 jobs');
    fireEvent.click(screen.getByTestId(testIds.jobs.bulkCancel));
    expect(screen.getByText('Cancel 2 jobs?')).toBeInTheDocument();
    // a Pending job never ran: it has no log to keep, and the dialog promises none
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'jobs that have not started have their Pod deleted. All stay listed as Cancelled until retention removes them; those that ran keep their logs.'
    );
    expect(proxy.calls('DELETE', running.id)).toHaveLength(0);

    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel 2 jobs' }));
    await waitFor(() => expect(toasts).toHaveLength(2));
    expect(proxy.calls('DELETE', `api/v1/jobs/${running.id}`)).toHaveLength(1);
    expect(proxy.calls('DELETE', `api/v1/jobs/${pending.id}`)).toHaveLength(1);
    expect(toasts).toContainEqual({ type: 'alert-success', payload: ['Cancel requested', running.id] });
    expect(toasts).toContainEqual(
      expect.objectContaining({
        type: 'alert-error',
        payload: [`Could not cancel ${pending.id}`, expect.any(String)],
      })
    );
    await waitFor(() => expect(screen.getByTestId(testIds.jobs.bulkCancel)).toHaveTextContent('Cancel selected'));
  });

  it('cancels one running job only after confirmation, with a DELETE through the launch route', async () => {
    const { proxy } = proxyWith([running, done]);
    proxy.on('DELETE', `api/v1/jobs/${running.id}`, {
      status: 202,
      data: { job: { ...running, cancelledAt: '2026-11-26T22:01:00Z' } },
    });
    render(<JobsView />);
    fireEvent.click(await screen.findByTestId(testIds.jobs.cancel(running.id)));
    expect(proxy.calls('DELETE', running.id)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
    await waitFor(() => expect(proxy.calls('DELETE', `api/v1/jobs/${running.id}`)).toHaveLength(1));
    await waitFor(() => expect(toasts).toEqual([{ type: 'alert-success', payload: ['Cancel requested', running.id] }]));
  });

  it('shows no Cancel button on finished rows', async () => {
    proxyWith([running, failed, done, job({ id: 'basic-xxxxx', phase: 'Cancelled' })]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(4));
    expect(screen.getByTestId(testIds.jobs.cancel(running.id))).toBeInTheDocument();
    for (const id of [failed.id, done.id, 'basic-xxxxx']) {
      expect(screen.queryByTestId(testIds.jobs.cancel(id))).not.toBeInTheDocument();
      expect(screen.getByTestId(testIds.jobs.rerun(id))).toBeInTheDocument();
    }
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

  it('shows when a job was created as a relative time, the exact time in a tooltip', async () => {
    const createdAt = new Date(Date.now() - 3 * 60_000).toISOString();
    proxyWith([job({ id: 'basic-ttttt', phase: 'Succeeded', createdAt })]);
    render(<JobsView />);
    const created = await screen.findByTestId(testIds.jobs.created('basic-ttttt'));
    expect(created).toHaveTextContent('3 minutes ago');
    expect(created).toHaveAttribute('datetime', createdAt);
    fireEvent.mouseEnter(created);
    expect(await screen.findByText(dateTimeFormat(createdAt))).toBeInTheDocument();
  });

  it('shows a Viewer no checkboxes and no Cancel, says why, and disables re-run', async () => {
    signInAs('Viewer');
    proxyWith([running, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(2));
    expect(screen.queryByTestId(testIds.jobs.selectAll)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobs.select(running.id))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobs.cancel(running.id))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobs.bulkCancel)).not.toBeInTheDocument();
    expect(screen.getByText(/needs the Editor role/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.jobs.rerun(running.id))).toHaveAttribute('aria-disabled', 'true');
  });

  it('filters by template', async () => {
    // Combobox virtualises its menu from the scroll element's client size, which jsdom reports as 0.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
    const { listCalls } = proxyWith([running, failed, done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toHaveLength(3));

    fireEvent.keyDown(within(screen.getByTestId(testIds.jobs.filterTemplate)).getByRole('combobox'), {
      key: 'ArrowDown',
    });
    fireEvent.click(await screen.findByRole('option', { name: 'log-gen' }));
    await waitFor(() => expect(rowIds()).toEqual([failed.id]));
    expect(listCalls().at(-1)).toMatchObject({ template: 'log-gen' });
    jest.restoreAllMocks();
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
    const unreachable = { status: 502, data: { message: 'Bad Gateway', error: 'Bad Gateway', response: '' } };
    const { proxy } = proxyWith([], unreachable);
    proxy.on('GET', 'api/v1/jobs', unreachable);
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
    const refused = proxyError(401, 'unauthorized', 'no bearer token: send Authorization: Bearer <token>');
    const { proxy } = proxyWith([], refused);
    proxy.on('GET', 'api/v1/jobs', refused);
    render(<JobsView />);
    const banner = await screen.findByTestId(testIds.proxyError.banner);
    expect(banner).toHaveTextContent('The proxy got no token from Grafana');
    expect(banner).toHaveTextContent('read and launch tokens');
    expect(within(banner).getByRole('link', { name: /configuration page/ })).toBeInTheDocument();
  });

  it('links a scheduled run to its schedule, and filters by schedule from the URL', async () => {
    const run = job({ id: 'basic-nightly-29433-abcde', schedule: 'basic-nightly', phase: 'Succeeded' });
    const { listCalls } = proxyWith([run, done]);
    render(<JobsView />, '/jobs?schedule=basic-nightly');
    await waitFor(() => expect(rowIds()).toEqual([run.id]));
    expect(listCalls()[0]).toMatchObject({ schedule: 'basic-nightly' });
    expect(within(rowOf(run.id)).getByRole('link', { name: 'basic-nightly' })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/schedules/basic-nightly'
    );
  });

  it('says a job launched by hand has no schedule', async () => {
    proxyWith([done]);
    render(<JobsView />);
    await waitFor(() => expect(rowIds()).toEqual([done.id]));
    expect(rowOf(done.id)).toHaveTextContent('by hand');
  });
});
