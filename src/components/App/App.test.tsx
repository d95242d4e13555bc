import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { type AppRootProps, PluginType } from '@grafana/data';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import { configure, render, screen } from '@testing-library/react';
import { testIds } from '../testIds';
import { liveProxy } from '../../testing/fakeProxy';
import { basicTemplate, job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import App from './App';

configure({ asyncUtilTimeout: 10000 });
jest.setTimeout(30000);

const props = {
  basename: 'a/flowkube-jobs-app',
  meta: {
    id: 'flowkube-jobs-app',
    name: 'FlowKube Jobs',
    type: PluginType.app,
    enabled: true,
    jsonData: { proxyUrl: 'http://proxy:8080', prometheusDatasourceUid: 'flowkube-prometheus' },
  },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

/** Grafana renders the app under its router and provides locationService, which Scenes reads for the query. */
function renderAt(path: string) {
  return render(
    <LocationServiceProvider service={locationService}>
      <MemoryRouter initialEntries={[path]}>
        <App {...props} />
      </MemoryRouter>
    </LocationServiceProvider>
  );
}

beforeEach(() => {
  signInAs('Editor');
  // The detail page follows the proxy's log stream (no Loki configured here); keep that request open.
  global.fetch = jest.fn(() => new Promise<Response>(() => {}));
  liveProxy([job({ id: 'basic-aaaaa', phase: 'Running' })]).on('GET', 'api/v1/templates', {
    status: 200,
    data: { items: [basicTemplate] },
  });
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
});
