import React from 'react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { deferred } from '../../testing/fakeBackendSrv';
import { serveJobList } from '../../testing/fakeJobList';
import { FakeProxy, startsLoop } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { JobsView } from './JobsView';

const fromPanel = job({
  id: 'basic-ppppp',
  source: { dashboardUid: 'ops-board', panelId: 7, title: 'Ops / Reindex' },
});
const untitled = job({ id: 'basic-uuuuu', source: { dashboardUid: 'ops-board', panelId: 9 } });
const elsewhere = job({ id: 'basic-eeeee', template: 'cpu-load' });
const jobs = [fromPanel, untitled, elsewhere];

function Search() {
  return <output data-testid="router-search">{useLocation().search}</output>;
}

/** The page at `path`, with a proxy that lists `jobs` and whose live loop answers once and then waits. */
function open(path: string) {
  const proxy = serveJobList(
    new FakeProxy().on('GET', 'api/v1/changes', (request) =>
      startsLoop(request) ? { status: 200, data: { cursor: 'c0', items: [], removed: [] } } : deferred<never>().promise
    ),
    () => jobs
  ).install();
  render(
    <MemoryRouter initialEntries={[path]}>
      <JobsView />
      <Search />
    </MemoryRouter>
  );
  return proxy;
}
const rowIds = () => screen.queryAllByTestId(/jobs-row-/).map((el) => el.textContent);

beforeEach(() => signInAs('Editor'));

describe('the dashboard/panel filter of a launcher panel link', () => {
  it('shows as a chip named by the panel title from the jobs, and goes on its own, other filters kept', async () => {
    const proxy = open('/jobs?dashboard=ops-board&panel=7&template=basic&q=bas');
    await waitFor(() => expect(rowIds()).toEqual([fromPanel.id]));
    expect(proxy.calls('GET', 'api/v1/jobs')[0]?.params).toMatchObject({ dashboard: 'ops-board', panel: 7 });
    expect(screen.getByTestId(testIds.jobs.sourceFilter)).toHaveTextContent(
      'From panel Ops / Reindex on dashboard ops-board'
    );

    fireEvent.click(screen.getByTestId(testIds.jobs.sourceFilterRemove));
    await waitFor(() => expect(rowIds()).toEqual([fromPanel.id, untitled.id]));
    expect(screen.queryByTestId(testIds.jobs.sourceFilter)).not.toBeInTheDocument();
    const search = new URLSearchParams(screen.getByTestId('router-search').textContent ?? '');
    expect([search.get('dashboard'), search.get('panel'), search.get('template'), search.get('q')]).toEqual([
      null,
      null,
      'basic',
      'bas',
    ]);
    expect(proxy.calls('GET', 'api/v1/jobs').at(-1)?.params).not.toHaveProperty('dashboard');
  });

  it('names the panel by its id when no job of it has a title', async () => {
    open('/jobs?dashboard=ops-board&panel=9');
    await waitFor(() => expect(rowIds()).toEqual([untitled.id]));
    expect(screen.getByTestId(testIds.jobs.sourceFilter)).toHaveTextContent('From panel 9 on dashboard ops-board');
  });

  it('names a dashboard alone by its UID', async () => {
    open('/jobs?dashboard=ops-board');
    await waitFor(() => expect(rowIds()).toEqual([fromPanel.id, untitled.id]));
    expect(screen.getByTestId(testIds.jobs.sourceFilter)).toHaveTextContent(/^From dashboard ops-board$/);
  });

  it('is absent without a dashboard filter', async () => {
    open('/jobs?template=basic');
    await waitFor(() => expect(rowIds()).toEqual([fromPanel.id, untitled.id]));
    expect(screen.queryByTestId(testIds.jobs.sourceFilter)).not.toBeInTheDocument();
  });
});
