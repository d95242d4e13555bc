// The discovery and health answers clients ask for before anything else (/api, /apis, /api/v1, /apis/<group>/v1,
// /version, namespaces). The resource lists are made from what the server serves, in the shape of
// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (APIResourceList, APIGroupList).
import type { ServerResponse } from 'node:http';
import { sendJson, sendStatus } from './http.ts';
import type { ResourceApi } from './resource.ts';
import { notFound, status } from './status.ts';
import type { StoredObject } from './store.ts';

type Api = ResourceApi<StoredObject>;

function resourceList(groupVersion: string, apis: Api[]): object {
  const resources: object[] = groupVersion === 'v1' ? [NAMESPACES] : [];
  for (const { kind } of apis) {
    const verbs = kind.verbs.filter((v) => v !== 'log').sort();
    const shortNames = kind.shortNames ? { shortNames: kind.shortNames } : {};
    const singularName = kind.kind.toLowerCase();
    resources.push({ name: kind.resource, singularName, namespaced: true, kind: kind.kind, verbs, ...shortNames });
    if (kind.resource === 'pods' && kind.group === '') {
      resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    }
  }
  return { kind: 'APIResourceList', groupVersion, resources };
}

const NAMESPACES = {
  name: 'namespaces',
  singularName: 'namespace',
  namespaced: false,
  kind: 'Namespace',
  verbs: ['get', 'list'],
};

export function serveDiscovery(
  res: ServerResponse,
  path: string,
  host: string,
  namespaces: Set<string>,
  rv: number,
  apis: Api[]
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
  const groups = [...new Set(apis.map((api) => api.kind.group).filter((g) => g !== ''))];
  if (clean === '/apis') {
    const version = (group: string) => ({ groupVersion: `${group}/v1`, version: 'v1' });
    return sendJson(res, 200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((name) => ({ name, versions: [version(name)], preferredVersion: version(name) })),
    });
  }
  const group = clean === '/api/v1' ? '' : groups.find((g) => clean === `/apis/${g}/v1`);
  if (group !== undefined) {
    const groupVersion = group === '' ? 'v1' : `${group}/v1`;
    return sendJson(
      res,
      200,
      resourceList(
        groupVersion,
        apis.filter((api) => api.kind.group === group)
      )
    );
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
