import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { type EventBus, LoadingState, type PanelProps, getDefaultTimeRange } from '@grafana/data';
import { config, setAppEvents } from '@grafana/runtime';
import { MemoryRouter } from 'react-router-dom';
import { SINCE_NOW } from '@flowkube/backend-proxy/contract';
import type { ChangesResponse, Job } from '../../../api/types';
import { testIds } from '../../../components/testIds';
import {
  deferred,
  type FakeAnswer,
  type FakeHandler,
  installFakeBackendSrv,
  proxyError,
} from '../../../testing/fakeBackendSrv';
import { basicTemplate, job, logGenTemplate } from '../../../testing/fixtures';
import type { LauncherOptions } from '../types';
import { LauncherPanel } from './LauncherPanel';

// Up to 8 test runs share 2 cores here; the default waits (1 s for async UI, 5 s a test) are too short under that load.

const PANEL_ID = 7;
const API = 'api/plugin-proxy/flowkube-jobs-app/api/v1';
const SETTINGS = 'api/plugins/flowkube-jobs-app/settings';
const SOURCE = { dashboardUid: 'runbook-1', panelId: PANEL_ID };
const CONFIGURED = { jsonData: { proxyUrl: 'http://proxy:8080' }, secureJsonFields: { readToken: true } };

/** Grafana's answer for the app's settings first (the panel reads them before anything else), then `handler`. */
function withSettings(handler: FakeHandler, settings: unknown = CONFIGURED) {
  return installFakeBackendSrv((request) =>
    request.url === SETTINGS ? { status: 200, data: settings } : handler(request)
  );
}

/**
 * Answers like the proxy behind Grafana: the catalog, the job list, POST /jobs making a job from the body,
 * and /changes long-polls that stay open until the test pushes a change.
 */
function fakeProxy(existing: Job[] = []) {
  const jobs = new Map(existing.map((j) => [j.id, j]));
  let nextChange = deferred<FakeAnswer>();
  let launched = 0;
  const backend = withSettings(({ url, method, params, data }) => {
    if (url === `${API}/templates`) {
      return { status: 200, data: { items: [basicTemplate, logGenTemplate] } };
    }
    if (url === `${API}/changes`) {
      return params?.since === SINCE_NOW
        ? { status: 200, data: { cursor: 'c0', items: [], removed: [] } }
        : nextChange.promise;
    }
    if (url === `${API}/jobs` && method === 'POST') {
      launched += 1;
      const body = data as { template: string; params: Job['params']; source?: Job['source'] };
      const made = job({
        id: `${body.template}-new${launched}`,
        template: body.template,
        params: body.params,
        source: body.source ?? null,
        createdAt: `2026-12-01T10:00:0${launched}Z`,
      });
      jobs.set(made.id, made);
      return { status: 201, data: { job: made } };
    }
    if (url === `${API}/jobs`) {
      // the proxy's dashboard and panel filter (GET /jobs?dashboard=&panel=), newest first
      const items = [...jobs.values()]
        .filter((j) => j.source?.dashboardUid === params?.dashboard && j.source?.panelId === params?.panel)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { status: 200, data: { items: items.slice(0, Number(params?.limit ?? 100)) } };
    }
    const one = jobs.get(decodeURIComponent(url.slice(`${API}/jobs/`.length)));
    return one ? { status: 200, data: { job: one } } : proxyError(404, 'not_found', 'no such job');
  });
  return {
    ...backend,
    posts: () => backend.requests.filter((r) => r.method === 'POST'),
    pushChange(change: ChangesResponse) {
      const current = nextChange;
      nextChange = deferred<FakeAnswer>();
      current.resolve({ status: 200, data: change });
    },
  };
}

function renderPanel(options: Partial<LauncherOptions>, variables: Record<string, string> = {}) {
  // as Grafana's, with its ${__dashboard.uid} and ${__dashboard} macros
  const known: Record<string, string> = {
    '${__dashboard.uid}': 'runbook-1',
    '${__dashboard}': 'On-call',
    ...variables,
  };
  const props = {
    id: PANEL_ID,
    title: 'Restart',
    options: { presetParams: {}, editableParams: [], buttonLabel: 'Launch', showRecent: 5, ...options },
    replaceVariables: (text: string) => text.replace(/\$\{[\w.]+\}|\$\w+/g, (name) => known[name] ?? name),
    data: { state: LoadingState.Done, series: [], timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    width: 400,
    height: 300,
  } as unknown as PanelProps<LauncherOptions>;
  // Grafana renders panels inside its router; TextLink needs one.
  return render(
    <MemoryRouter>
      <LauncherPanel {...props} />
    </MemoryRouter>
  );
}

function signInAs(orgRole: 'Viewer' | 'Editor') {
  config.bootData.user = { ...config.bootData.user, orgRole: orgRole as never, isGrafanaAdmin: false };
}

const launchButton = () => screen.findByTestId(testIds.launcherPanel.launch);

describe('LauncherPanel', () => {
  beforeAll(() => {
    // Combobox virtualises its menu from the scroll element's client size, which jsdom reports as 0.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
  });
  afterAll(() => jest.restoreAllMocks());

  beforeEach(() => {
    signInAs('Editor');
    setAppEvents({ publish: jest.fn() } as unknown as EventBus);
  });

  it('asks for a template when none is chosen', async () => {
    fakeProxy();
    renderPanel({});
    expect(await screen.findByText('Choose a template in the panel options.')).toBeInTheDocument();
  });

  it('renders the button with its label and launches the template with interpolated presets', async () => {
    const proxy = fakeProxy();
    renderPanel(
      {
        templateId: 'basic',
        buttonLabel: 'Restart worker',
        presetParams: { message: 'on-call: $host', sleepSeconds: '$wait' },
      },
      { $host: 'node-3', $wait: '42' }
    );
    const button = await launchButton();
    expect(button).toHaveTextContent('Restart worker');
    await act(async () => fireEvent.click(button));
    expect(proxy.posts()).toHaveLength(1);
    expect(proxy.posts()[0].data).toEqual({
      template: 'basic',
      params: { message: 'on-call: node-3', sleepSeconds: 42 },
      source: { ...SOURCE, title: 'On-call / Restart' },
    });
  });

  it('validates presets after interpolation and refuses to launch with the reason', async () => {
    const proxy = fakeProxy();
    renderPanel({ templateId: 'basic', presetParams: { sleepSeconds: '$wait' } }, { $wait: '7200' });
    expect(await screen.findByText(/sleepSeconds: Must be at most 3600/)).toBeInTheDocument();
    expect(await launchButton()).toBeDisabled();
    expect(proxy.posts()).toHaveLength(0);
  });

  it('shows editable params inline, starting from the presets, and sends what the viewer changed', async () => {
    const proxy = fakeProxy();
    renderPanel({ templateId: 'log-gen', presetParams: { tasks: '20', fail: true }, editableParams: ['tasks'] });
    const tasks = await screen.findByLabelText(/^Tasks/);
    expect(tasks).toHaveValue(20);
    expect(screen.queryByLabelText(/^Fail at the end/)).not.toBeInTheDocument();
    fireEvent.change(tasks, { target: { value: '5000' } });
    expect(screen.getByText('Must be at most 1000')).toBeInTheDocument();
    expect(await launchButton()).toBeDisabled();
    fireEvent.change(tasks, { target: { value: '50' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.launcherPanel.launch)));
    expect(proxy.posts()[0].data).toMatchObject({ template: 'log-gen', params: { tasks: 50, fail: true } });
  });

  it('asks for confirmation, with variables replaced, before launching', async () => {
    const proxy = fakeProxy();
    renderPanel({ templateId: 'basic', confirmMessage: 'Really restart $host?' }, { $host: 'node-3' });
    fireEvent.click(await launchButton());
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Really restart node-3?')).toBeInTheDocument();
    expect(proxy.posts()).toHaveLength(0);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(proxy.posts()).toHaveLength(0);

    fireEvent.click(await launchButton());
    const confirm = within(await screen.findByRole('dialog')).getByRole('button', { name: 'Launch' });
    await act(async () => fireEvent.click(confirm));
    expect(proxy.posts()).toHaveLength(1);
  });

  it('is disabled for a Viewer, with the reason shown', async () => {
    signInAs('Viewer');
    const proxy = fakeProxy();
    renderPanel({ templateId: 'basic' });
    const button = await launchButton();
    // With a tooltip, Grafana's Button is aria-disabled (so the tooltip still shows) and ignores clicks.
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByText(/needs the Editor role; you are Viewer/)).toBeInTheDocument();
    await act(async () => fireEvent.click(button));
    expect(proxy.posts()).toHaveLength(0);
  });

  it('shows a 429 from the proxy with the limit, when to retry and a link to the jobs that fill it', async () => {
    withSettings(({ url, method }) => {
      if (url === `${API}/templates`) {
        return { status: 200, data: { items: [basicTemplate] } };
      }
      return method === 'POST'
        ? proxyError(429, 'limit_exceeded', '50 jobs are active; FLOWKUBE_MAX_ACTIVE is 50', {
            retryAfterSeconds: 30,
            limit: 'FLOWKUBE_MAX_ACTIVE',
          })
        : { status: 200, data: { cursor: 'c', items: [], removed: [] } };
    });
    renderPanel({ templateId: 'basic' });
    const button = await launchButton();
    await act(async () => fireEvent.click(button));
    const error = screen.getByTestId(testIds.launcherPanel.error);
    expect(error).toHaveTextContent(
      'Launch refused: FlowKube is at its limit of active jobs: 50 jobs are active; FLOWKUBE_MAX_ACTIVE is 50. Try again in 30 s.'
    );
    expect(within(error).getByTestId(testIds.proxyError.link)).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?phase=active'
    );
  });

  it('shows a 400 next to the editable field it names, until that field changes', async () => {
    withSettings(({ url, method }) => {
      if (url === `${API}/templates`) {
        return { status: 200, data: { items: [logGenTemplate] } };
      }
      return method === 'POST'
        ? proxyError(400, 'bad_request', 'invalid params', {
            fields: [{ field: 'params.tasks', message: 'tasks must be a multiple of 5 on this cluster' }],
          })
        : { status: 200, data: { cursor: 'c', items: [], removed: [] } };
    });
    renderPanel({ templateId: 'log-gen', editableParams: ['tasks'] });
    const button = await launchButton();
    await act(async () => fireEvent.click(button));
    const tasks = screen.getByTestId(testIds.paramsForm.field('tasks'));
    expect(within(tasks).getByText('tasks must be a multiple of 5 on this cluster')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Tasks/), { target: { value: '20' } });
    expect(within(tasks).queryByText('tasks must be a multiple of 5 on this cluster')).not.toBeInTheDocument();
  });

  it('lists the jobs launched from this panel, from the proxy, with a live phase, each linking to the job page', async () => {
    const older = job({ id: 'basic-old01', phase: 'Succeeded', createdAt: '2026-11-26T21:00:00Z', source: SOURCE });
    const otherPanel = job({ id: 'basic-other', source: { ...SOURCE, panelId: 8 } });
    const proxy = fakeProxy([older, otherPanel, job({ id: 'basic-hand1' })]);
    renderPanel({ templateId: 'basic', showRecent: 5 });
    const listed = await screen.findByTestId(testIds.launcherPanel.recentJobs);
    expect(
      within(listed)
        .getAllByRole('link')
        .map((a) => a.textContent)
    ).toEqual(['basic-old01']);
    expect(proxy.requests.find((r) => r.url === `${API}/jobs`)?.params).toMatchObject({
      dashboard: 'runbook-1',
      panel: PANEL_ID,
      limit: 5,
    });

    const button = await launchButton();
    await act(async () => fireEvent.click(button));
    const list = screen.getByTestId(testIds.launcherPanel.recentJobs);
    const links = await within(list).findAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(['basic-new1', 'basic-old01']);
    expect(links[0]).toHaveAttribute('href', '/a/flowkube-jobs-app/jobs/basic-new1');
    await waitFor(() =>
      expect(
        within(list)
          .getAllByText(/^(Pending|Succeeded)$/)
          .map((b) => b.textContent)
      ).toEqual(['Pending', 'Succeeded'])
    );

    await act(async () =>
      proxy.pushChange({
        cursor: 'c1',
        items: [job({ id: 'basic-new1', phase: 'Running', source: SOURCE })],
        removed: [],
      })
    );
    await waitFor(() => expect(within(list).getByText('Running')).toBeInTheDocument());

    // launched from this panel in another browser: the live loop brings it
    const elsewhere = job({ id: 'basic-elsewhere', createdAt: '2026-12-01T11:00:00Z', source: SOURCE });
    await act(async () => proxy.pushChange({ cursor: 'c2', items: [elsewhere, otherPanel], removed: [] }));
    await waitFor(() =>
      expect(
        within(list)
          .getAllByRole('link')
          .map((a) => a.textContent)
      ).toEqual(['basic-elsewhere', 'basic-new1', 'basic-old01'])
    );
  });

  it('links to all of its jobs on the Jobs page, filtered by dashboard and panel', async () => {
    fakeProxy([job({ id: 'a-1', source: SOURCE })]);
    renderPanel({ templateId: 'basic' });
    expect(await screen.findByTestId(testIds.launcherPanel.viewAll)).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?dashboard=runbook-1&panel=7'
    );
  });

  it('shows only as many recent jobs as configured', async () => {
    fakeProxy(['a-1', 'a-2', 'a-3'].map((id, i) => job({ id, source: SOURCE, createdAt: `2026-12-01T10:0${i}:00Z` })));
    renderPanel({ templateId: 'basic', showRecent: 2 });
    const list = await screen.findByTestId(testIds.launcherPanel.recentJobs);
    expect(
      within(list)
        .getAllByRole('link')
        .map((a) => a.textContent)
    ).toEqual(['a-3', 'a-2']);
  });

  it('shows an Editor the template and every value it will send, defaults marked, before the click', async () => {
    fakeProxy();
    renderPanel({ templateId: 'log-gen', presetParams: { tasks: '$n' }, editableParams: ['fail'] }, { $n: '30' });
    const values = await screen.findByTestId(testIds.launcherPanel.values);
    expect(values).toHaveTextContent(`Launches ${logGenTemplate.title} (log-gen) with:`);
    const shown = Object.fromEntries(
      within(values)
        .getAllByRole('term')
        .map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])
    );
    expect(shown[logGenTemplate.params.properties.tasks.title!]).toBe('30');
    expect(shown[logGenTemplate.params.properties.taskIntervalMs.title!]).toBe(
      `${logGenTemplate.params.properties.taskIntervalMs.default} (default)`
    );
    fireEvent.click(screen.getByLabelText(/^Fail at the end/));
    expect(within(values).getByText('true')).toBeInTheDocument();
  });

  it('does not show the values to a Viewer, who cannot launch', async () => {
    signInAs('Viewer');
    fakeProxy();
    renderPanel({ templateId: 'basic' });
    await launchButton();
    expect(screen.queryByTestId(testIds.launcherPanel.values)).not.toBeInTheDocument();
  });

  it('with the values hidden and no confirmation text, still confirms, showing the values in the dialog', async () => {
    const proxy = fakeProxy();
    renderPanel({ templateId: 'basic', showValues: false, presetParams: { message: 'hi' } });
    const button = await launchButton();
    expect(screen.queryByTestId(testIds.launcherPanel.values)).toBeNull();
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId(testIds.launcherPanel.values)).toHaveTextContent('hi');
    expect(proxy.posts()).toHaveLength(0);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Launch' })));
    expect(proxy.posts()).toHaveLength(1);
  });

  it('with the values hidden but every one in the form, launches at once', async () => {
    const proxy = fakeProxy();
    renderPanel({ templateId: 'basic', showValues: false, editableParams: ['message', 'sleepSeconds'] });
    const button = await launchButton();
    await act(async () => fireEvent.click(button));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(proxy.posts()).toHaveLength(1);
  });

  it.each([
    ['no proxy URL', { jsonData: {}, secureJsonFields: { readToken: true } }, /Enter the proxy URL/],
    ['no read token', { jsonData: { proxyUrl: 'http://proxy:8080' }, secureJsonFields: {} }, /Enter the read token/],
  ])(
    'before the app is configured (%s), shows the set-up state and calls the proxy for nothing',
    async (_, settings, says) => {
      const backend = withSettings(() => proxyError(500, 'internal', 'must not be called'), settings);
      renderPanel({ templateId: 'basic' });
      const setup = await screen.findByTestId(testIds.setup.container);
      expect(setup).toHaveTextContent('Set up FlowKube');
      expect(setup).toHaveTextContent(says);
      expect(screen.getByTestId(testIds.setup.configLink)).toHaveAttribute('href', '/plugins/flowkube-jobs-app');
      expect(backend.requests.map((r) => r.url)).toEqual([SETTINGS]);
    }
  );
});
