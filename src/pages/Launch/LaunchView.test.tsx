import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Job } from '../../api/types';
import { testIds } from '../../components/testIds';
import { captureAppEvents } from '../../testing/appEvents';
import { proxyError } from '../../testing/fakeBackendSrv';
import { FakeProxy, heldChanges, liveProxy } from '../../testing/fakeProxy';
import { basicTemplate, job, logGenTemplate } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { LaunchView } from './LaunchView';

// @grafana/ui renders slowly on a busy 2-core machine; this is patience, not a timing assertion.

function renderAt(search = '') {
  return render(
    <MemoryRouter initialEntries={[`/launch${search}`]}>
      <LaunchView />
    </MemoryRouter>
  );
}

function catalog() {
  return new FakeProxy()
    .on('GET', 'api/v1/templates', { status: 200, data: { items: [basicTemplate, logGenTemplate] } })
    .install();
}

/** The catalog, and `jobs` served live: each long-poll after the first waits for `answerChanges`. */
function liveCatalog(jobs: Job[]) {
  const proxy = liveProxy(jobs).on('GET', 'api/v1/templates', {
    status: 200,
    data: { items: [{ ...basicTemplate, maxConcurrent: 3 }, logGenTemplate] },
  });
  return { proxy, ...heldChanges(proxy) };
}

const field = (name: string) => screen.getByTestId(testIds.paramsForm.field(name));
const sleepInput = () => within(field('sleepSeconds')).getByRole('spinbutton');

let toasts: ReturnType<typeof captureAppEvents>;
beforeEach(() => {
  signInAs('Editor');
  toasts = captureAppEvents();
});
afterEach(() => jest.restoreAllMocks());

describe('Launch page', () => {
  it('shows one card per catalog template with its timeout and resources', async () => {
    catalog();
    renderAt();
    const card = await screen.findByTestId(testIds.launch.templateCard('basic'));
    expect(card).toHaveTextContent('Basic');
    expect(card).toHaveTextContent('Prints a message and sleeps.');
    expect(card).toHaveTextContent('Timeout 1h 05m');
    expect(card).toHaveTextContent('CPU 50m–200m');
    expect(card).toHaveTextContent('Memory 32Mi–64Mi');
    expect(screen.getByTestId(testIds.launch.templateCard('log-gen'))).toBeInTheDocument();
  });

  it('shows how many jobs of each template run now, and follows a job finishing', async () => {
    const jobs = [
      job({ id: 'basic-aaaaa', phase: 'Running' }),
      job({ id: 'basic-bbbbb', phase: 'Pending' }),
      job({ id: 'basic-ccccc', phase: 'Succeeded' }),
      job({ id: 'log-gen-ddddd', template: 'log-gen', phase: 'Failed' }),
    ];
    const { proxy, answerChanges } = liveCatalog(jobs);
    renderAt();
    const running = () => screen.getByTestId(testIds.launch.running('basic'));
    await waitFor(() => expect(running()).toHaveTextContent('2 of 3 running'));
    expect(within(running()).getByRole('link')).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?template=basic&phase=active'
    );
    expect(screen.getByTestId(testIds.launch.running('log-gen'))).toHaveTextContent('none running');
    // the smallest page: the counts come whatever it lists
    expect(proxy.calls('GET', 'api/v1/jobs').map((r) => r.params)).toEqual([{ limit: 1 }]);

    jobs[0] = { ...jobs[0], phase: 'Succeeded' };
    await answerChanges([jobs[0]]);
    await waitFor(() => expect(running()).toHaveTextContent('1 of 3 running'));
    expect(proxy.calls('GET', 'api/v1/jobs')).toHaveLength(2);
  });

  it('links a launch the template’s limit refused to the jobs that fill it', async () => {
    catalog().on(
      'POST',
      'api/v1/jobs',
      proxyError(429, 'limit_exceeded', 'template "basic" allows at most 3 concurrent jobs; wait for one to finish', {
        retryAfterSeconds: 10,
        limit: 'template:basic',
      })
    );
    renderAt('?template=basic');
    fireEvent.click(await screen.findByTestId(testIds.launch.submit));

    const banner = await screen.findByTestId(testIds.proxyError.banner);
    // no field to fix: focus goes to the reason, and from there to its link
    await waitFor(() => expect(banner.parentElement).toHaveFocus());
    expect(banner).toHaveTextContent('Launch refused: template "basic" is at its limit of jobs at once');
    expect(banner).toHaveTextContent('allows at most 3 concurrent jobs; wait for one to finish. Try again in 10 s.');
    expect(within(banner).getByTestId(testIds.proxyError.link)).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?template=basic&phase=active'
    );
    expect(within(banner).getByTestId(testIds.proxyError.link)).toHaveTextContent('See the running jobs of basic');
  });

  it('opens the form with the defaults and blocks an out-of-range value before submit', async () => {
    const proxy = catalog();
    renderAt();
    fireEvent.click(await screen.findByTestId(testIds.launch.choose('basic')));
    expect(sleepInput()).toHaveValue(5);
    // the chosen card says so to assistive technology; no radio stands in for it
    expect(screen.getByTestId(testIds.launch.choose('basic'))).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId(testIds.launch.choose('log-gen'))).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();

    fireEvent.change(sleepInput(), { target: { value: '4000' } });
    expect(field('sleepSeconds')).toHaveTextContent(/3600/);
    expect(screen.getByTestId(testIds.launch.submit)).toBeDisabled();
    fireEvent.submit(screen.getByRole('form'));
    expect(proxy.calls('POST', 'api/v1/jobs')).toHaveLength(0);
  });

  it('takes focus into the form on Choose: its first field, also for the template already chosen', async () => {
    catalog();
    renderAt('?template=basic');
    const message = () => within(field('message')).getByRole('textbox');
    await waitFor(() => expect(message()).toBeInTheDocument());
    // opened from the URL (a re-run), not by Choose: the form does not take focus on its own
    expect(message()).not.toHaveFocus();

    fireEvent.click(screen.getByTestId(testIds.launch.choose('log-gen')));
    await waitFor(() => expect(within(field('tasks')).getByRole('spinbutton')).toHaveFocus());

    fireEvent.click(screen.getByTestId(testIds.launch.choose('basic')));
    await waitFor(() => expect(message()).toHaveFocus());
    sleepInput().focus();
    fireEvent.click(screen.getByTestId(testIds.launch.choose('basic')));
    expect(message()).toHaveFocus();
  });

  it('takes focus into the schedule form on Schedule…, and back into the launch form when it is cancelled', async () => {
    catalog();
    renderAt();
    const message = () => within(field('message')).getByRole('textbox');
    fireEvent.click(await screen.findByTestId(testIds.launch.schedule('basic')));
    const scheduleForm = await screen.findByTestId(testIds.scheduleForm.container);
    await waitFor(() => expect(message()).toHaveFocus());
    expect(scheduleForm).toContainElement(message());

    fireEvent.click(within(scheduleForm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByTestId(testIds.scheduleForm.container)).not.toBeInTheDocument());
    // not dropped on <body>: the launch form the person is back on has it
    await waitFor(() => expect(message()).toHaveFocus());
  });

  it('shows the field the proxy names in a 400 next to that field', async () => {
    const proxy = catalog().on(
      'POST',
      'api/v1/jobs',
      proxyError(400, 'bad_request', 'Invalid parameters', {
        fields: [{ field: 'params.sleepSeconds', message: 'must be <= 60 on this cluster' }],
      })
    );
    renderAt();
    fireEvent.click(await screen.findByTestId(testIds.launch.choose('basic')));
    fireEvent.click(screen.getByTestId(testIds.launch.submit));

    await waitFor(() => expect(field('sleepSeconds')).toHaveTextContent('must be <= 60 on this cluster'));
    // to the field in error, the second one, rather than the first field or the alert
    await waitFor(() => expect(sleepInput()).toHaveFocus());
    expect(proxy.calls('POST', 'api/v1/jobs')[0].data).toEqual({
      template: 'basic',
      params: { message: 'Hello from FlowKube', sleepSeconds: 5 },
    });
    // the field says it; the alert points there rather than repeating it in a banner
    expect(screen.getByRole('form')).toHaveTextContent('See the fields marked above.');
    expect(screen.queryByTestId(testIds.proxyError.banner)).not.toBeInTheDocument();
  });

  it('a re-run whose old value the changed template refuses: the 400 shows under that field, the rest above', async () => {
    // The template was tightened after the job ran; the page still holds the old copy, the proxy checks the new.
    const proxy = catalog().on(
      'POST',
      'api/v1/jobs',
      proxyError(400, 'bad_request', 'params.sleepSeconds must be at most 30; params.seed is not a parameter', {
        fields: [
          { field: 'params.sleepSeconds', message: 'must be at most 30' },
          { field: 'params.seed', message: 'is not a parameter of template "basic"' },
        ],
      })
    );
    renderAt(`?template=basic&params=${encodeURIComponent(JSON.stringify({ sleepSeconds: 42, message: 'again' }))}`);
    await waitFor(() => expect(sleepInput()).toHaveValue(42));
    fireEvent.click(screen.getByTestId(testIds.launch.submit));

    await waitFor(() => expect(field('sleepSeconds')).toHaveTextContent('must be at most 30'));
    expect(proxy.calls('POST', 'api/v1/jobs')[0].data).toEqual({
      template: 'basic',
      params: { message: 'again', sleepSeconds: 42 },
    });
    expect(field('message')).not.toHaveTextContent('must be');
    const alert = screen.getByRole('alert', { name: 'The proxy rejected the parameters' });
    expect(alert).toHaveTextContent('seed: is not a parameter of template "basic"');
    expect(alert).not.toHaveTextContent('at most 30');

    // editing the field clears the proxy's verdict: the form's own check is all that is left
    fireEvent.change(sleepInput(), { target: { value: '20' } });
    expect(field('sleepSeconds')).not.toHaveTextContent('must be at most 30');
    expect(screen.queryByRole('alert', { name: 'The proxy rejected the parameters' })).not.toBeInTheDocument();
  });

  it('launches once on a double click, says so, and goes to the new job’s detail page', async () => {
    const launched = job({ id: 'basic-zzzzz' });
    const proxy = catalog().on('POST', 'api/v1/jobs', { status: 201, data: { job: launched } });
    const push = jest.spyOn(locationService, 'push').mockImplementation(() => {});
    renderAt();
    fireEvent.click(await screen.findByTestId(testIds.launch.choose('basic')));
    fireEvent.click(screen.getByTestId(testIds.launch.submit));
    fireEvent.click(screen.getByTestId(testIds.launch.submit));

    await waitFor(() => expect(push).toHaveBeenCalledWith('/a/flowkube-jobs-app/jobs/basic-zzzzz'));
    expect(proxy.calls('POST', 'api/v1/jobs')).toHaveLength(1);
    expect(toasts).toContainEqual({ type: 'alert-success', payload: ['Job launched', 'basic-zzzzz'] });
  });

  it('pre-fills the template and values of a re-run from the URL', async () => {
    catalog();
    renderAt(`?template=basic&params=${encodeURIComponent(JSON.stringify({ sleepSeconds: 42 }))}`);
    await waitFor(() => expect(sleepInput()).toHaveValue(42));
    expect(within(field('message')).getByRole('textbox')).toHaveValue('Hello from FlowKube');
  });

  it('lets a Viewer see the catalog but not launch, and says why', async () => {
    signInAs('Viewer');
    const proxy = catalog();
    renderAt('?template=basic');
    const submit = await screen.findByTestId(testIds.launch.submit);
    expect(submit).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.launch.permission)).toHaveTextContent('needs the Editor role; you are Viewer');
    fireEvent.click(submit);
    expect(proxy.calls('POST', 'api/v1/jobs')).toHaveLength(0);
  });
});
