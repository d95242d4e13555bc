import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { type AppPluginMeta, type DataSourceInstanceSettings, PluginType } from '@grafana/data';
import { type DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import type { AppSettings } from '../../services/settings';
import { installFakeBackendSrv, proxyError } from '../../testing/fakeBackendSrv';
import { basicTemplate } from '../../testing/fixtures';
import { testIds } from '../testIds';
import { AppConfig, type AppConfigProps } from './AppConfig';

// Up to 8 test runs share 2 cores here; the default waits (1 s for async UI, 5 s a test) are too short under that load.

const dataSources = [
  { uid: 'flowkube-loki', name: 'FlowKube Loki', type: 'loki' },
  { uid: 'other-loki', name: 'Other Loki', type: 'loki' },
  { uid: 'flowkube-prometheus', name: 'FlowKube Prometheus', type: 'prometheus' },
].map(
  (ds) => ({ ...ds, meta: { id: ds.type, info: { logos: { small: '' } } } }) as unknown as DataSourceInstanceSettings
);

/** Grafana's DataSourceSrv as the picker uses it: a list filtered by plugin type, and a lookup. */
function installDataSources() {
  const fake: Partial<DataSourceSrv> = {
    getList: ({ type } = {}) => dataSources.filter((ds) => !type || [type].flat().includes(ds.type)),
    // Like Grafana's, it takes a uid or a name (the picker's options carry names).
    getInstanceSettings: (ref) => {
      const key = typeof ref === 'string' ? ref : ref?.uid;
      return dataSources.find((ds) => ds.uid === key || ds.name === key);
    },
  };
  setDataSourceSrv(fake as DataSourceSrv);
}

function renderConfig(meta: Partial<AppPluginMeta<AppSettings>> = {}) {
  const plugin = {
    meta: {
      id: 'flowkube-jobs-app',
      name: 'FlowKube Jobs',
      type: PluginType.app,
      enabled: true,
      pinned: true,
      jsonData: { proxyUrl: 'http://proxy:8080', lokiDatasourceUid: 'flowkube-loki' },
      secureJsonFields: { readToken: true, launchToken: true },
      ...meta,
    },
  } as AppConfigProps['plugin'];
  return render(<AppConfig plugin={plugin} query={{}} />);
}

const settingsPosts = (requests: Array<{ url: string; data?: unknown }>) =>
  requests.filter((r) => r.url === 'api/plugins/flowkube-jobs-app/settings');

describe('AppConfig', () => {
  const reload = jest.fn();
  const realLocation = window.location;

  beforeAll(() => {
    Object.defineProperty(window, 'location', { configurable: true, value: { ...realLocation, reload } });
  });
  afterAll(() => {
    Object.defineProperty(window, 'location', { configurable: true, value: realLocation });
  });
  beforeEach(() => {
    reload.mockReset();
    installDataSources();
  });

  it('shows saved tokens as configured and never renders their values', () => {
    installFakeBackendSrv(() => ({ status: 200, data: {} }));
    // Grafana never sends secureJsonData to the browser; even if something did, the page must not show it.
    const { container } = renderConfig({ secureJsonData: { readToken: 'read-s3cret', launchToken: 'launch-s3cret' } });
    for (const id of [testIds.appConfig.readToken, testIds.appConfig.launchToken]) {
      expect(screen.getByTestId(id)).toHaveValue('configured');
      expect(screen.getByTestId(id)).toBeDisabled();
    }
    expect(container.innerHTML).not.toMatch(/s3cret/);
    expect(screen.getByTestId(testIds.appConfig.proxyUrl)).toHaveValue('http://proxy:8080');
  });

  it('saves jsonData and keeps configured tokens by leaving them out, then reloads', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 200, data: {} }));
    renderConfig();
    fireEvent.change(screen.getByTestId(testIds.appConfig.proxyUrl), { target: { value: 'http://proxy:9090' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.save)));
    const [post] = settingsPosts(requests);
    expect(post).toMatchObject({ method: 'POST' });
    expect(post.data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: {
        proxyUrl: 'http://proxy:9090',
        lokiDatasourceUid: 'flowkube-loki',
        prometheusDatasourceUid: undefined,
      },
      secureJsonData: undefined,
    });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('resets a token to an empty input, blocks saving until a new one is typed, and sends only that one', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 200, data: {} }));
    renderConfig();
    // The read token's Reset comes first, as its field does.
    fireEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    const input = screen.getByTestId(testIds.appConfig.readToken);
    expect(input).toHaveValue('');
    expect(input).toBeEnabled();
    expect(screen.getByText('Enter the read token (FLOWKUBE_READ_TOKEN of the proxy)')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.save)).toBeDisabled();

    fireEvent.change(input, { target: { value: 'new-read-token' } });
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.save)));
    expect(settingsPosts(requests)[0].data).toMatchObject({ secureJsonData: { readToken: 'new-read-token' } });
  });

  it('says why saving failed instead of reloading', async () => {
    installFakeBackendSrv(() => ({ status: 403, data: { message: 'Permission denied' } }));
    renderConfig();
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.save)));
    // Explained as every other call's failure is: which hop refused it, with Grafana's own words.
    expect(
      screen.getByText(/^Grafana refused to save the settings: .*needs the Admin role.*\(HTTP 403: Permission denied\)/)
    ).toBeInTheDocument();
    expect(reload).not.toHaveBeenCalled();
  });

  it('shows the chosen data sources by name', () => {
    installFakeBackendSrv(() => ({ status: 200, data: {} }));
    renderConfig({
      jsonData: {
        proxyUrl: 'http://proxy:8080',
        lokiDatasourceUid: 'other-loki',
        prometheusDatasourceUid: 'flowkube-prometheus',
      },
    });
    expect(screen.getByText('Other Loki')).toBeInTheDocument();
    expect(screen.getByText('FlowKube Prometheus')).toBeInTheDocument();
  });

  it('offers only Loki data sources in the Loki picker and saves the chosen uid', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 200, data: {} }));
    renderConfig();
    fireEvent.keyDown(screen.getByLabelText(/^Loki/), { key: 'ArrowDown' });
    expect(screen.queryByText('FlowKube Prometheus')).not.toBeInTheDocument();
    fireEvent.click(await screen.findByText('Other Loki'));
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.save)));
    expect(settingsPosts(requests)[0].data).toMatchObject({ jsonData: { lokiDatasourceUid: 'other-loki' } });
  });

  it('reports a passing connection test with the number of templates', async () => {
    installFakeBackendSrv(({ url }) =>
      url.endsWith('/api/v1/templates') ? { status: 200, data: { items: [basicTemplate] } } : { status: 200, data: {} }
    );
    renderConfig();
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.testConnection)));
    expect(screen.getByTestId(testIds.appConfig.testResult)).toHaveTextContent(
      'healthz, readyz and templates passed: the proxy serves 1 template.'
    );
  });

  it.each([
    ['healthz', { status: 502, data: { message: 'Bad Gateway' } }, /healthz: The FlowKube proxy is unreachable/],
    [
      'readyz',
      proxyError(503, 'not_ready', 'cache not synced'),
      /readyz: The proxy is starting.*check the proxy's RBAC/,
    ],
    ['templates', proxyError(403, 'token_rejected', 'refused'), /templates: .*The read token was refused/],
  ])('reports a failing %s step and what to do', async (step, answer, expected) => {
    installFakeBackendSrv(({ url }) =>
      url.endsWith(step === 'templates' ? '/api/v1/templates' : `/${step}`)
        ? answer
        : { status: 200, data: { items: [] } }
    );
    renderConfig();
    await act(async () => fireEvent.click(screen.getByTestId(testIds.appConfig.testConnection)));
    const result = screen.getByTestId(testIds.appConfig.testResult);
    expect(result).toHaveTextContent(`Connection test failed at ${step}`);
    expect(result).toHaveTextContent(expected);
  });
});
