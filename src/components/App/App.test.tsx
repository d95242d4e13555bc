import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { type AppRootProps, PluginType } from '@grafana/data';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import { testIds } from '../testIds';
import { liveProxy } from '../../testing/fakeProxy';
import { basicTemplate, job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import App from './App';

const props = {
  basename: 'a/flowkube-jobs-app',
  meta: {
    id: 'flowkube-jobs-app',
    name: 'FlowKube Jobs',
    type: PluginType.app,
    enabled: true,
    jsonData: { proxyUrl: 'http://proxy:8080', prometheusDatasourceUid: 'flowkube-prometheus' },
    secureJsonFields: { readToken: true, launchToken: true },
  },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

/** Grafana renders the app under its router and provides locationService, which Scenes reads for the query. */
function renderAt(path: string, meta: Partial<AppRootProps['meta']> = {}) {
  return render(
    <LocationServiceProvider service={locationService}>
      <MemoryRouter initialEntries={[path]}>
        <App {...props} meta={{ ...props.meta, ...meta }} />
      </MemoryRouter>
    </LocationServiceProvider>
  );
}

let proxy: ReturnType<typeof liveProxy>;
beforeEach(() => {
  signInAs('Editor');
  // The detail page follows the proxy's log stream (no Loki configured here); keep that request open.
  global.fetch = jest.fn(() => new Promise<Response>(() => {}));
  const running = job({ id: 'basic-aaaaa', phase: 'Running' });
  proxy = liveProxy([running])
    .on('GET', 'api/v1/templates', { status: 200, data: { items: [basicTemplate] } })
    .on('GET', 'api/v1/jobs', { status: 200, data: { items: [running], counts: { Running: 1 } } });
});

describe('App', () => {
  it('opens Launch by default', async () => {
    renderAt('/');
    expect(await screen.findByTestId(testIds.launch.templateCard('basic'))).toBeInTheDocument();
  });

  it('routes to the Jobs page', async () => {
    renderAt('/jobs');
    expect(await screen.findByTestId(testIds.jobs.row('basic-aaaaa'))).toBeInTheDocument();
  });

  it('routes a job id under Jobs to the detail page, which gets the app settings', async () => {
    renderAt('/jobs/basic-aaaaa');
    expect(await screen.findByTestId(testIds.jobDetail.timeline)).toBeInTheDocument();
    // Prometheus is configured in the props, Loki is not: metrics panels, and the proxy's log stream.
    expect(screen.queryByText('No Prometheus data source configured')).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.jobDetail.logStream)).toBeInTheDocument();
  });

  describe('before the app is configured', () => {
    const unconfigured: Array<[string, Partial<AppRootProps['meta']>, RegExp]> = [
      ['nothing at all', { jsonData: {}, secureJsonFields: {} }, /Enter the proxy URL/],
      ['no read token', { secureJsonFields: { launchToken: true } }, /Enter the read token/],
      ['a proxy URL that is not one', { jsonData: { proxyUrl: 'flowkube-proxy:8080' } }, /must start with http/i],
    ];
    it.each(unconfigured)('with %s, every page shows the set-up state and calls nothing', async (_, meta, says) => {
      for (const path of ['/', '/launch', '/jobs', '/jobs/basic-aaaaa', '/schedules']) {
        const { unmount } = renderAt(path, meta);
        const setup = await screen.findByTestId(testIds.setup.container);
        expect(setup).toHaveTextContent('Set up FlowKube');
        expect(setup).toHaveTextContent(says);
        expect(screen.getByTestId(testIds.setup.configLink)).toHaveAttribute('href', '/plugins/flowkube-jobs-app');
        expect(screen.queryByTestId(testIds.proxyError.banner)).not.toBeInTheDocument();
        unmount();
      }
      expect(proxy.requests).toHaveLength(0);
    });

    it('tells a non-admin whom to ask', async () => {
      signInAs('Viewer');
      renderAt('/jobs', { jsonData: {}, secureJsonFields: {} });
      expect(await screen.findByText(/ask one to open this page/)).toBeInTheDocument();
    });

    it('shows the pages once the proxy URL and read token are set, without a launch token', async () => {
      renderAt('/launch', { secureJsonFields: { readToken: true } });
      expect(await screen.findByTestId(testIds.launch.templateCard('basic'))).toBeInTheDocument();
      expect(screen.queryByTestId(testIds.setup.container)).not.toBeInTheDocument();
    });
  });
});
