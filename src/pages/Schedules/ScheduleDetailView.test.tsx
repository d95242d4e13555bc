import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, screen, waitFor, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { captureAppEvents } from '../../testing/appEvents';
import { type FakeAnswer } from '../../testing/fakeBackendSrv';
import { serveJobList } from '../../testing/fakeJobList';
import { FakeProxy, startsLoop } from '../../testing/fakeProxy';
import { job, schedule } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { ScheduleDetailView } from './ScheduleDetailView';

const nightly = schedule();
const runs = [
  job({ id: 'basic-nightly-29433-aaaaa', schedule: 'basic-nightly', phase: 'Succeeded' }),
  job({ id: 'basic-nightly-29434-bbbbb', schedule: 'basic-nightly', phase: 'Running' }),
];
const others = [job({ id: 'basic-hand-ccccc' }), job({ id: 'basic-hourly-29433-ddddd', schedule: 'basic-hourly' })];

function proxyWith(schedules = [nightly]) {
  const proxy = new FakeProxy()
    .on('GET', 'api/v1/schedules', { status: 200, data: { items: schedules } })
    .on('GET', 'api/v1/changes', (request) =>
      startsLoop(request)
        ? { status: 200, data: { cursor: 'c0', items: [], removed: [], schedulesRevision: 1 } }
        : new Promise<FakeAnswer>(() => {})
    );
  return serveJobList(proxy, () => [...runs, ...others]).install();
}

const renderView = (id: string) =>
  render(
    <MemoryRouter initialEntries={[`/schedules/${id}`]}>
      <ScheduleDetailView id={id} />
    </MemoryRouter>
  );

beforeEach(() => {
  signInAs('Editor');
  captureAppEvents();
});

describe('a schedule’s own view', () => {
  it('lists its runs and only its runs, newest first, asking the proxy for them alone', async () => {
    const proxy = proxyWith();
    renderView('basic-nightly');
    const table = await screen.findByTestId(testIds.schedules.runs);
    await waitFor(() =>
      expect(
        within(table)
          .queryAllByTestId(/jobs-row-/)
          .map((el) => el.textContent)
      ).toEqual(['basic-nightly-29434-bbbbb', 'basic-nightly-29433-aaaaa'])
    );
    expect(proxy.calls('GET', 'api/v1/jobs')[0].params).toMatchObject({ schedule: 'basic-nightly', limit: 50 });
    expect(screen.getByTestId(testIds.schedules.runNow('basic-nightly'))).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /On the Jobs page/ })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?schedule=basic-nightly'
    );
  });

  it('says so when the schedule does not exist', async () => {
    proxyWith([]);
    renderView('basic-gone');
    expect(await screen.findByText('Schedule basic-gone does not exist')).toBeInTheDocument();
  });
});
