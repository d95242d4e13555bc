import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { LaunchView } from '../../pages/Launch/LaunchView';
import { captureAppEvents } from '../../testing/appEvents';
import { proxyError } from '../../testing/fakeBackendSrv';
import { FakeProxy } from '../../testing/fakeProxy';
import { basicTemplate, schedule } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { testIds } from '../testIds';
import { ScheduleForm } from './ScheduleForm';

// @grafana/ui renders slowly on a busy 2-core machine; this is patience, not a timing assertion.

const cron = () => screen.getByTestId(testIds.scheduleForm.cron);
const zone = () => screen.getByTestId(testIds.scheduleForm.timeZone);
const submit = () => screen.getByTestId(testIds.scheduleForm.submit);

function openFromLaunch(proxy: FakeProxy) {
  proxy.on('GET', 'api/v1/templates', { status: 200, data: { items: [basicTemplate] } }).install();
  render(
    <MemoryRouter initialEntries={['/launch']}>
      <LaunchView />
    </MemoryRouter>
  );
}

beforeEach(() => {
  signInAs('Editor');
  captureAppEvents();
});
afterEach(() => jest.restoreAllMocks());

describe('Scheduling from the Launch page', () => {
  it('opens the parameter form with cron, the browser’s zone and Forbid', async () => {
    openFromLaunch(new FakeProxy());
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    expect(within(screen.getByTestId(testIds.paramsForm.field('sleepSeconds'))).getByRole('spinbutton')).toHaveValue(5);
    expect(zone()).toHaveValue(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(screen.getByTestId(testIds.scheduleForm.concurrency)).toHaveTextContent('Forbid');
    expect(screen.queryByTestId(testIds.launch.submit)).not.toBeInTheDocument();
  });

  it('describes the cron as it is typed and lists the next three runs', async () => {
    openFromLaunch(new FakeProxy());
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    fireEvent.change(zone(), { target: { value: 'UTC' } });
    fireEvent.change(cron(), { target: { value: '30 4 * * 1' } });
    expect(screen.getByTestId(testIds.scheduleForm.description)).toHaveTextContent('At 04:30 AM, only on Monday');
    expect(within(screen.getByTestId(testIds.scheduleForm.nextRuns)).getAllByRole('listitem')).toHaveLength(3);
  });

  it('refuses inline what the proxy refuses, and sends nothing', async () => {
    const proxy = new FakeProxy();
    openFromLaunch(proxy);
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    fireEvent.change(cron(), { target: { value: '*/10 * * * * *' } });
    expect(screen.getByText(/expected exactly 5 fields, found 6/)).toBeInTheDocument();
    // said to a screen reader too: the field by its label, invalid, and why
    expect(screen.getByLabelText(/^Cron/)).toBe(cron());
    expect(cron()).toHaveAttribute('aria-invalid', 'true');
    expect(cron()).toHaveAccessibleDescription(/expected exactly 5 fields, found 6/);
    expect(screen.queryByTestId(testIds.scheduleForm.nextRuns)).not.toBeInTheDocument();
    expect(submit()).toBeDisabled();

    fireEvent.change(cron(), { target: { value: '0 2 * * *' } });
    fireEvent.change(zone(), { target: { value: 'Mars/Olympus' } });
    expect(screen.getByText(/unknown time zone Mars\/Olympus/)).toBeInTheDocument();
    expect(cron()).not.toHaveAttribute('aria-invalid');
    expect(zone()).toHaveAttribute('aria-invalid', 'true');
    expect(zone()).toHaveAccessibleDescription(/unknown time zone Mars\/Olympus/);
    expect(submit()).toBeDisabled();
    fireEvent.submit(screen.getByRole('form'));
    expect(proxy.calls('POST', 'api/v1/schedules')).toHaveLength(0);
  });

  it('creates the schedule with an Idempotency-Key, the same key on a retry, and opens it', async () => {
    let answers = 0;
    const proxy = new FakeProxy().on('POST', 'api/v1/schedules', (request) => {
      answers++;
      // the first answer is lost on the way back: the retry must not make a second CronJob
      return answers === 1
        ? { status: 502, data: { message: 'Bad Gateway' } }
        : { status: 201, data: { schedule: schedule({ id: 'basic-abcde', ...(request.data as object) }) } };
    });
    openFromLaunch(proxy);
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    fireEvent.change(zone(), { target: { value: 'Europe/Berlin' } });
    fireEvent.change(cron(), { target: { value: '@daily' } });
    fireEvent.click(submit());
    await screen.findByText(/Bad Gateway/);
    fireEvent.click(submit());
    await waitFor(() => expect(push).toHaveBeenCalledWith('/a/flowkube-jobs-app/schedules/basic-abcde'));

    const [first, second] = proxy.calls('POST', 'api/v1/schedules');
    expect(first?.data).toEqual({
      template: 'basic',
      params: { message: 'Hello from FlowKube', sleepSeconds: 5 },
      schedule: '@daily',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
    });
    expect(first?.headers?.['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers?.['Idempotency-Key']).toBe(first?.headers?.['Idempotency-Key']);
  });

  it('shows the proxy’s verdict on a field next to that field', async () => {
    openFromLaunch(
      new FakeProxy().on(
        'POST',
        'api/v1/schedules',
        proxyError(400, 'bad_request', 'Invalid schedule', {
          fields: [{ field: 'schedule', message: 'is not a cron expression Kubernetes accepts: boom' }],
        })
      )
    );
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    fireEvent.click(submit());
    expect(await screen.findByText(/Kubernetes accepts: boom/)).toBeInTheDocument();
  });
});

describe('Editing', () => {
  it('shows the current values and sends a PATCH without the template', async () => {
    const current = schedule({ schedule: '15 3 * * *', timeZone: 'Asia/Tokyo', concurrencyPolicy: 'Allow' });
    const proxy = new FakeProxy()
      .on('PATCH', 'api/v1/schedules/basic-nightly', { status: 200, data: { schedule: current } })
      .install();
    const onSaved = jest.fn();
    render(<ScheduleForm template={basicTemplate} schedule={current} onSaved={onSaved} />);
    expect(cron()).toHaveValue('15 3 * * *');
    expect(zone()).toHaveValue('Asia/Tokyo');
    expect(within(screen.getByTestId(testIds.paramsForm.field('message'))).getByRole('textbox')).toHaveValue('nightly');
    fireEvent.change(cron(), { target: { value: '15 4 * * *' } });
    fireEvent.click(submit());
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(proxy.calls('PATCH', 'api/v1/schedules/basic-nightly')[0]?.data).toEqual({
      params: { message: 'nightly', sleepSeconds: 5 },
      schedule: '15 4 * * *',
      timeZone: 'Asia/Tokyo',
      concurrencyPolicy: 'Allow',
    });
  });

  it('is read-only for a Viewer and says why', () => {
    signInAs('Viewer');
    render(<ScheduleForm template={basicTemplate} schedule={schedule()} onSaved={jest.fn()} />);
    expect(cron()).toBeDisabled();
    // with a tooltip (the reason), Grafana's Button is aria-disabled so the tooltip still shows
    expect(submit()).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.schedules.permission)).toHaveTextContent(
      'Creating, changing and running schedules needs the Editor role; you are Viewer'
    );
  });
});
