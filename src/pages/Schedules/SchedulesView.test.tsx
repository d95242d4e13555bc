import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Schedule } from '../../api/types';
import { testIds } from '../../components/testIds';
import { captureAppEvents } from '../../testing/appEvents';
import { type FakeAnswer } from '../../testing/fakeBackendSrv';
import { FakeProxy, startsLoop } from '../../testing/fakeProxy';
import { basicTemplate, job, schedule } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { SchedulesView } from './SchedulesView';

const nightly = schedule({
  timeZone: 'Europe/Berlin',
  nextRunAt: '2026-12-02T01:00:00Z',
  lastRun: { id: 'basic-nightly-29433-abcde', phase: 'Failed' },
});
const paused = schedule({ id: 'basic-paused', suspend: true, nextRunAt: undefined, description: 'At 03:00 AM' });

/**
 * A proxy listing `lists` in turn (the last one from then on), whose long-poll reports a moved schedulesRevision
 * once (when `moveOnce`), then holds every poll open.
 */
function proxyWith(lists: Schedule[][], moveOnce = false): FakeProxy {
  let listed = 0;
  let polls = 0;
  return new FakeProxy()
    .on('GET', 'api/v1/schedules', () => ({
      status: 200,
      data: { items: lists[Math.min(listed++, lists.length - 1)] },
    }))
    .on('GET', 'api/v1/changes', (request) => {
      if (startsLoop(request)) {
        return { status: 200, data: { cursor: 'c0', items: [], removed: [], schedulesRevision: 10 } };
      }
      if (moveOnce && polls++ === 0) {
        return { status: 200, data: { cursor: 'c1', items: [], removed: [], schedulesRevision: 11 } };
      }
      return new Promise<FakeAnswer>(() => {});
    })
    .install();
}

const renderPage = () =>
  render(
    <MemoryRouter initialEntries={['/schedules']}>
      <SchedulesView />
    </MemoryRouter>
  );
const row = (id: string) => screen.getByTestId(testIds.schedules.row(id)).closest('tr') as HTMLElement;

beforeEach(() => {
  signInAs('Editor');
  captureAppEvents();
});
afterEach(() => jest.restoreAllMocks());

describe('Schedules page', () => {
  it('shows template, cron and its description, next run in both zones and the last run linked to its job', async () => {
    proxyWith([[nightly, paused]]);
    renderPage();
    await screen.findByTestId(testIds.schedules.row('basic-nightly'));
    const first = row('basic-nightly');
    expect(first).toHaveTextContent('basic');
    expect(first).toHaveTextContent('0 2 * * *');
    expect(first).toHaveTextContent('At 02:00 AM');
    expect(screen.getByTestId(testIds.schedules.nextRun('basic-nightly'))).toHaveTextContent(
      'Wed, 2 Dec 2026, 02:00 CET (Europe/Berlin)'
    );
    const last = within(screen.getByTestId(testIds.schedules.lastRun('basic-nightly')));
    expect(last.getByRole('link')).toHaveAttribute('href', '/a/flowkube-jobs-app/jobs/basic-nightly-29433-abcde');
    expect(last.getByText('Failed')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.schedules.nextRun('basic-paused'))).toHaveTextContent('Suspended');
    expect(screen.getByTestId(testIds.schedules.lastRun('basic-paused'))).toHaveTextContent('No run yet');
  });

  it('suspends through a PATCH and re-reads the list', async () => {
    const proxy = proxyWith([[nightly], [{ ...nightly, suspend: true, nextRunAt: undefined }]]).on(
      'PATCH',
      'api/v1/schedules/basic-nightly',
      { status: 200, data: { schedule: { ...nightly, suspend: true } } }
    );
    renderPage();
    fireEvent.click(await screen.findByTestId(testIds.schedules.suspend('basic-nightly')));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.schedules.nextRun('basic-nightly'))).toHaveTextContent('Suspended')
    );
    expect(proxy.calls('PATCH', 'api/v1/schedules/basic-nightly')[0]?.data).toEqual({ suspend: true });
  });

  it('runs now and opens the run', async () => {
    const run = job({ id: 'basic-nightly-manual-x2k9z', schedule: 'basic-nightly' });
    const proxy = proxyWith([[nightly]]).on('POST', 'api/v1/schedules/basic-nightly/run', {
      status: 201,
      data: { job: run },
    });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    renderPage();
    fireEvent.click(await screen.findByTestId(testIds.schedules.runNow('basic-nightly')));
    await waitFor(() => expect(push).toHaveBeenCalledWith(`/a/flowkube-jobs-app/jobs/${run.id}`));
    expect(proxy.calls('POST', 'api/v1/schedules/basic-nightly/run')).toHaveLength(1);
  });

  it('edits in a drawer with the template’s form and the current values', async () => {
    const proxy = proxyWith([[nightly]])
      .on('GET', 'api/v1/templates', { status: 200, data: { items: [basicTemplate] } })
      .on('PATCH', 'api/v1/schedules/basic-nightly', { status: 200, data: { schedule: nightly } });
    renderPage();
    fireEvent.click(await screen.findByTestId(testIds.schedules.edit('basic-nightly')));
    const cron = await screen.findByTestId(testIds.scheduleForm.cron);
    expect(cron).toHaveValue('0 2 * * *');
    expect(screen.getByTestId(testIds.scheduleForm.timeZone)).toHaveValue('Europe/Berlin');
    fireEvent.change(cron, { target: { value: '0 3 * * *' } });
    fireEvent.click(screen.getByTestId(testIds.scheduleForm.submit));
    await waitFor(() => expect(screen.queryByTestId(testIds.scheduleForm.container)).not.toBeInTheDocument());
    expect(proxy.calls('PATCH', 'api/v1/schedules/basic-nightly')[0]?.data).toMatchObject({ schedule: '0 3 * * *' });
  });

  it('deletes only after the confirmation', async () => {
    const proxy = proxyWith([[nightly], []]).on('DELETE', 'api/v1/schedules/basic-nightly', { status: 200, data: {} });
    renderPage();
    fireEvent.click(await screen.findByTestId(testIds.schedules.delete('basic-nightly')));
    expect(proxy.calls('DELETE', 'api/v1/schedules/basic-nightly')).toHaveLength(0);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete schedule' }));
    await screen.findByTestId(testIds.schedules.empty);
    expect(proxy.calls('DELETE', 'api/v1/schedules/basic-nightly')).toHaveLength(1);
  });

  it('lets a Viewer see everything and change nothing, each control saying why', async () => {
    signInAs('Viewer');
    const proxy = proxyWith([[nightly]]);
    renderPage();
    await screen.findByTestId(testIds.schedules.row('basic-nightly'));
    expect(screen.getByTestId(testIds.schedules.suspend('basic-nightly'))).toBeDisabled();
    for (const control of [testIds.schedules.runNow, testIds.schedules.edit, testIds.schedules.delete]) {
      const button = screen.getByTestId(control('basic-nightly'));
      // with a tooltip (the reason), Grafana's Button is aria-disabled and ignores clicks
      expect(button).toHaveAttribute('aria-disabled', 'true');
      fireEvent.click(button);
    }
    expect(screen.getByTestId(testIds.schedules.permission)).toHaveTextContent(
      'Creating, changing and running schedules needs the Editor role; you are Viewer'
    );
    expect(proxy.requests.filter((r) => r.method && r.method !== 'GET')).toHaveLength(0);
  });

  it('re-reads the list when the long-poll reports that schedules changed', async () => {
    proxyWith([[nightly], [nightly, paused]], true);
    renderPage();
    expect(await screen.findByTestId(testIds.schedules.row('basic-paused'))).toBeInTheDocument();
  });
});
