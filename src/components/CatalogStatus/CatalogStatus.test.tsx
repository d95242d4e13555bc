import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { installFakeBackendSrv, proxyError } from '../../testing/fakeBackendSrv';
import { testIds } from '../testIds';
import { CatalogStatus } from './CatalogStatus';

const status = {
  synced: true,
  revision: 4,
  sources: [
    { kind: 'file', name: '/app/catalog/default.yaml', templates: [{ id: 'basic', ok: true, problems: [] }] },
    {
      kind: 'configmap',
      name: 'team-b',
      templates: [
        { id: 'good', key: 'good.yaml', ok: true, problems: [] },
        {
          id: 'sneaky',
          key: 'bad.yaml',
          ok: false,
          problems: [{ field: 'volumes[0].hostPath', message: 'is refused: a FlowKube job never mounts a node path' }],
        },
      ],
    },
  ],
};

describe('CatalogStatus', () => {
  it('asks for the catalog only when told, then shows each source and every problem by field', async () => {
    const { requests } = installFakeBackendSrv(() => ({ status: 200, data: status }));
    render(<CatalogStatus />);
    expect(requests).toHaveLength(0);
    fireEvent.click(screen.getByTestId(testIds.appConfig.catalogRefresh));
    expect(await screen.findByText('ConfigMap team-b: 1 ready, 1 with problems')).toBeInTheDocument();
    expect(screen.getByText('File /app/catalog/default.yaml: 1 ready')).toBeInTheDocument();
    expect(screen.getByText('sneaky (bad.yaml)')).toBeInTheDocument();
    expect(screen.getByText('volumes[0].hostPath').tagName).toBe('CODE');
    expect(screen.getByText(/is refused: a FlowKube job never mounts a node path/)).toBeInTheDocument();
    expect(requests[0]?.url).toMatch(/\/api\/v1\/catalog$/);
  });

  it('says when the proxy could not answer', async () => {
    installFakeBackendSrv(() => proxyError(502, 'kube_unavailable', 'no answer from the Kubernetes API'));
    render(<CatalogStatus />);
    fireEvent.click(screen.getByTestId(testIds.appConfig.catalogRefresh));
    expect(await screen.findByText('The catalog state could not be read')).toBeInTheDocument();
  });
});
