// The discovery and health answers clients ask for before anything else (/api, /api/v1, /version, namespaces).
import type { ServerResponse } from 'node:http';
import { sendJson, sendStatus } from './http.ts';
import { notFound, status } from './status.ts';

export function serveDiscovery(
  res: ServerResponse,
  path: string,
  host: string,
  namespaces: Set<string>,
  rv: number
): void {
  const clean = path.replace(/\/+$/, '') || '/';
  const namespaceMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(clean);
  if (clean === '/version') {
    return sendJson(res, 200, {
      major: '1',
      minor: '34',
      gitVersion: 'v1.34.0-fake',
      gitCommit: 'fake',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: 'go1.24',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  }
  if (clean === '/healthz' || clean === '/livez' || clean === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('ok');
  }
  if (clean === '/api') {
    return sendJson(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    });
  }
  if (clean === '/api/v1') {
    return sendJson(res, 200, {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        {
          name: 'namespaces',
          singularName: 'namespace',
          namespaced: false,
          kind: 'Namespace',
          verbs: ['get', 'list'],
        },
        {
          name: 'pods',
          singularName: 'pod',
          namespaced: true,
          kind: 'Pod',
          verbs: ['create', 'delete', 'get', 'list', 'watch'],
          shortNames: ['po'],
        },
        { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      ],
    });
  }
  const namespaceObject = (name: string) => ({
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  if (clean === '/api/v1/namespaces') {
    return sendJson(res, 200, {
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(rv) },
      items: [...namespaces].map(namespaceObject),
    });
  }
  if (namespaceMatch) {
    const name = decodeURIComponent(namespaceMatch[1] ?? '');
    return namespaces.has(name)
      ? sendJson(res, 200, namespaceObject(name))
      : sendStatus(res, notFound('namespaces', name));
  }
  return sendStatus(res, status(404, 'NotFound', 'the server could not find the requested resource', {}));
}
