// The template fields of issue 11 §1: each accepted in Kubernetes' shape and rendered into the Pod, each refused
// with its id and field when wrong, and every rendered Pod held to Pod Security `restricted`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkRestricted } from '../../../tests/support/pod-security.ts';
import { checkTemplate } from '../../src/catalog/load.ts';
import { validateParams } from '../../src/catalog/params.ts';
import { isWholeQuantity, parseQuantity } from '../../src/catalog/quantity.ts';
import { renderPod } from '../../src/catalog/render-pod.ts';
import type { CatalogTemplate } from '../../src/catalog/schema.ts';

const EXAMPLE = new URL('../../../k8s/examples/catalog-configmap.yaml', import.meta.url);

function exampleTemplate(): Record<string, unknown> {
  const cm = parse(readFileSync(EXAMPLE, 'utf8'));
  return parse(cm.data['train.yaml']);
}

function minimal(): Record<string, any> {
  return {
    id: 'etl',
    title: 'ETL',
    description: 'Moves data.',
    image: 'registry.example.com/etl:1.0',
    command: ['etl'],
    params: { type: 'object', properties: {} },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
    timeoutSeconds: 60,
  };
}

function accepted(raw: unknown): CatalogTemplate {
  const checked = checkTemplate(raw);
  assert.deepEqual(checked.problems, []);
  return checked.template!;
}

function render(t: CatalogTemplate, input: Record<string, unknown> = {}) {
  const params = validateParams(t, input as never);
  assert.ok(params.ok, JSON.stringify(params));
  return renderPod({
    template: t,
    params: params.values,
    name: `${t.id}-abcde`,
    namespace: 'flowkube-jobs',
    launchedBy: 'alice',
    requestHash: 'h',
    launchId: 'l',
  });
}

test('the example ConfigMap template renders every new field into the Pod, and the Pod is restricted', () => {
  const t = accepted(exampleTemplate());
  const pod = render(t);
  const spec = pod.spec!;
  const c = spec.containers[0]!;
  assert.equal(c.image, 'registry.example.com/ml/trainer:2.4.0');
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.workingDir, '/workspace');
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'registry-example-com' }]);
  assert.deepEqual(
    c.env?.find((e) => e.name === 'DATABASE_PASSWORD'),
    { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'training-db', key: 'password' } } }
  );
  assert.deepEqual(c.envFrom, [{ configMapRef: { name: 'training-settings' } }]);
  assert.deepEqual(
    spec.volumes?.map((v) => v.name),
    ['tmp', 'data', 'output']
  );
  assert.deepEqual(spec.volumes?.[1]?.persistentVolumeClaim, { claimName: 'training-data', readOnly: true });
  assert.deepEqual(
    c.volumeMounts?.map((m) => m.mountPath),
    ['/tmp', '/data', '/workspace']
  );
  assert.deepEqual(spec.nodeSelector, { 'cloud.example.com/node-pool': 'gpu' });
  assert.deepEqual(spec.tolerations, [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.equal(spec.automountServiceAccountToken, false);
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(pod.metadata?.labels?.team, 'ml');
  assert.equal(pod.metadata?.labels?.['app.kubernetes.io/managed-by'], 'flowkube');
  assert.equal(pod.metadata?.annotations?.['example.com/owner'], 'ml-platform');
  assert.deepEqual(c.resources?.limits, { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' });
  assert.deepEqual(c.args, ['--epochs', '10']);
  assert.deepEqual(checkRestricted(spec), []);

  const chosen = render(t, { version: '2.3.1', size: 'large' });
  assert.equal(chosen.spec!.containers[0]!.image, 'registry.example.com/ml/trainer:2.3.1');
  assert.deepEqual(chosen.spec!.containers[0]!.resources?.requests, { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' });
  assert.deepEqual(checkRestricted(chosen.spec!), []);
});

test('a tag or preset outside the fixed list is a 400-style field error, never rendered', () => {
  const t = accepted(exampleTemplate());
  const tag = validateParams(t, { version: 'latest; rm -rf /' });
  assert.equal(tag.ok, false);
  assert.equal(!tag.ok && tag.fields[0]?.field, 'params.version');
  const size = validateParams(t, { size: 'huge' });
  assert.equal(!size.ok && size.fields[0]?.field, 'params.size');
});

test('identity, placement and the worker user: set when the template says so, FlowKube’s settings kept', () => {
  const t = accepted({
    ...minimal(),
    serviceAccountName: 'etl-reader',
    automountServiceAccountToken: true,
    priorityClassName: 'batch-low',
    runtimeClassName: 'gvisor',
    securityContext: {
      runAsUser: 2000,
      runAsGroup: 2000,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    hostNetwork: false,
    restartPolicy: 'Never',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g5'] }] },
          ],
        },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } },
          },
        ],
      },
    },
    tolerations: [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoExecute', tolerationSeconds: 60 }],
    volumes: [
      { name: 'cfg', configMap: { name: 'etl-config', items: [{ key: 'a', path: 'a.yaml' }] } },
      { name: 'creds', secret: { secretName: 'etl-creds', defaultMode: 0o400 } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'sts' } }] } },
      { name: 'store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } },
    ],
    volumeMounts: [
      { name: 'cfg', mountPath: '/etc/etl' },
      { name: 'creds', mountPath: '/var/run/creds', readOnly: true },
    ],
  });
  const pod = render(t);
  const spec = pod.spec!;
  assert.equal(spec.serviceAccountName, 'etl-reader');
  assert.equal(spec.automountServiceAccountToken, true);
  assert.equal(spec.priorityClassName, 'batch-low');
  assert.equal(spec.runtimeClassName, 'gvisor');
  assert.equal(spec.hostNetwork, undefined);
  assert.equal(
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.length,
    1
  );
  assert.deepEqual(spec.containers[0]!.securityContext, {
    runAsUser: 2000,
    runAsGroup: 2000,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.equal(spec.volumes?.length, 7);
  assert.deepEqual(checkRestricted(spec), []);
});

test('any resource name with Kubernetes quantities: extended resources whole and not overcommitted', () => {
  const t = accepted({
    ...minimal(),
    resources: {
      requests: { cpu: '0.5', memory: '1000Mi', 'nvidia.com/gpu': '2', 'ephemeral-storage': '1Gi' },
      limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '2', 'ephemeral-storage': '2Gi' },
    },
  });
  assert.deepEqual(render(t).spec!.containers[0]!.resources?.limits?.['nvidia.com/gpu'], '2');
});

test('quantities parse as Kubernetes parses them', () => {
  const table: Array<[string, number | undefined]> = [
    ['500m', 0.5],
    ['1.', 1],
    ['.5', 0.5],
    ['+1', 1],
    ['-1', -1],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['2Ki', 2048],
    ['1k', 1000],
    ['1K', undefined],
    ['1gi', undefined],
    ['1 Gi', undefined],
    ['1e', undefined],
    ['1.5.2', undefined],
    ['1e3Mi', undefined],
    ['', undefined],
  ];
  for (const [text, value] of table) {
    assert.equal(parseQuantity(text), value, text);
  }
  assert.equal(isWholeQuantity('1000m'), true);
  assert.equal(isWholeQuantity('1500m'), false);
  assert.equal(isWholeQuantity('1k'), true);
});

type Edit = (t: Record<string, any>) => void;

// Each row: what the template says → the field and the message the load reports. The message is what an operator
// sees in GET /api/v1/catalog, in the ConfigMap's Event and (for the file) in the proxy's start-up error.
const REFUSALS: Array<[string, Edit, string, string]> = [
  [
    'privileged',
    (t) => (t.securityContext = { privileged: true }),
    'securityContext.privileged',
    'is refused: a FlowKube job never runs privileged',
  ],
  [
    'root',
    (t) => (t.securityContext = { runAsUser: 0 }),
    'securityContext.runAsUser',
    'is refused: 0 is root, and FlowKube jobs run as non-root',
  ],
  [
    'capabilities',
    (t) => (t.securityContext = { capabilities: { add: ['NET_ADMIN'] } }),
    'securityContext.capabilities.add',
    'is refused: FlowKube drops all capabilities and adds none',
  ],
  [
    'escalation',
    (t) => (t.securityContext = { allowPrivilegeEscalation: true }),
    'securityContext.allowPrivilegeEscalation',
    'is refused: FlowKube always sets allowPrivilegeEscalation: false',
  ],
  [
    'writable root',
    (t) => (t.securityContext = { readOnlyRootFilesystem: false }),
    'securityContext.readOnlyRootFilesystem',
    'is refused: FlowKube always mounts the root filesystem read-only (write to /tmp)',
  ],
  [
    'seccomp',
    (t) => (t.securityContext = { seccompProfile: { type: 'Unconfined' } }),
    'securityContext.seccompProfile.type',
    'is refused: FlowKube always uses the RuntimeDefault seccomp profile',
  ],
  [
    'hostNetwork',
    (t) => (t.hostNetwork = true),
    'hostNetwork',
    'is refused: a FlowKube job never shares the node’s namespaces',
  ],
  ['hostPID', (t) => (t.hostPID = true), 'hostPID', 'is refused: a FlowKube job never shares the node’s namespaces'],
  [
    'hostPath',
    (t) => (t.volumes = [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }]),
    'volumes[0].hostPath',
    'is refused: a FlowKube job never mounts a node path',
  ],
  [
    'nfs volume',
    (t) => (t.volumes = [{ name: 'n', nfs: { server: 'x', path: '/' } }]),
    'volumes[0].nfs',
    'is not an allowed volume type (Pod Security restricted allows configMap, secret, emptyDir, persistentVolumeClaim, ephemeral, projected, downwardAPI, csi)',
  ],
  [
    'two types',
    (t) => (t.volumes = [{ name: 'v', emptyDir: {}, configMap: { name: 'c' } }]),
    'volumes[0]',
    'must set exactly one volume type (configMap, secret, emptyDir, persistentVolumeClaim, ephemeral, projected, downwardAPI, csi)',
  ],
  [
    'tmp volume name',
    (t) => (t.volumes = [{ name: 'tmp', emptyDir: {} }]),
    'volumes[0].name',
    '"tmp" is FlowKube\'s own scratch volume; choose another name',
  ],
  [
    'mount on /tmp',
    (t) => {
      t.volumes = [{ name: 'd', emptyDir: {} }];
      t.volumeMounts = [{ name: 'd', mountPath: '/tmp/' }];
    },
    'volumeMounts[0].mountPath',
    "/tmp/ collides with /tmp, which FlowKube mounts for the worker's scratch files",
  ],
  [
    'mount inside /tmp',
    (t) => {
      t.volumes = [{ name: 'd', emptyDir: {} }];
      t.volumeMounts = [{ name: 'd', mountPath: '/tmp/x/../y' }];
    },
    'volumeMounts[0].mountPath',
    "/tmp/x/../y collides with /tmp, which FlowKube mounts for the worker's scratch files",
  ],
  [
    'mount over /',
    (t) => {
      t.volumes = [{ name: 'd', emptyDir: {} }];
      t.volumeMounts = [{ name: 'd', mountPath: '/' }];
    },
    'volumeMounts[0].mountPath',
    "/ collides with /tmp, which FlowKube mounts for the worker's scratch files",
  ],
  [
    'relative mount',
    (t) => {
      t.volumes = [{ name: 'd', emptyDir: {} }];
      t.volumeMounts = [{ name: 'd', mountPath: 'data' }];
    },
    'volumeMounts[0].mountPath',
    'must be an absolute path',
  ],
  [
    'unknown volume',
    (t) => (t.volumeMounts = [{ name: 'nope', mountPath: '/data' }]),
    'volumeMounts[0].name',
    'refers to "nope", which is not in volumes',
  ],
  [
    'restartPolicy',
    (t) => (t.restartPolicy = 'OnFailure'),
    'restartPolicy',
    'must be Never: a job runs once, and its Pod is never restarted',
  ],
  [
    'managed-by label',
    (t) => (t.labels = { 'app.kubernetes.io/managed-by': 'me' }),
    'labels.app.kubernetes.io/managed-by',
    'cannot be set: app.kubernetes.io/managed-by is set by FlowKube itself',
  ],
  [
    'job_type label',
    (t) => (t.labels = { job_type: 'x' }),
    'labels.job_type',
    'cannot be set: job_type is set by FlowKube itself',
  ],
  [
    'flowkube.io annotation',
    (t) => (t.annotations = { 'flowkube.io/params': '{}' }),
    'annotations.flowkube.io/params',
    'cannot be set: the flowkube.io/ prefix belongs to FlowKube itself',
  ],
  [
    'label value',
    (t) => (t.labels = { team: 'data team' }),
    'labels.team',
    'is not a valid label value: must be empty or letters, digits, -, _ or ., starting and ending with a letter or digit',
  ],
  [
    'label key',
    (t) => (t.labels = { 'a/b/c': 'x' }),
    'labels.a/b/c',
    'is not a valid key: must be a name with at most one / (an optional DNS subdomain prefix and a name)',
  ],
  [
    'pull policy',
    (t) => (t.imagePullPolicy = 'Sometimes'),
    'imagePullPolicy',
    'must be one of Always, IfNotPresent, Never',
  ],
  ['pull secret shape', (t) => (t.imagePullSecrets = ['regcred']), 'imagePullSecrets[0]', 'must be object'],
  [
    'pull secret name',
    (t) => (t.imagePullSecrets = [{ name: 'Reg_Cred' }]),
    'imagePullSecrets[0].name',
    'must be a DNS-1123 subdomain: lower-case letters, digits, - and ., starting and ending with a letter or digit',
  ],
  [
    'secret env shape',
    (t) => (t.env = [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db' } } }]),
    'env[0].valueFrom.secretKeyRef.key',
    'is required',
  ],
  [
    'secret env kind',
    (t) => (t.env = [{ name: 'P', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]),
    'env[0].valueFrom',
    'must be {secretKeyRef: {name, key}} or {configMapKeyRef: {name, key}}',
  ],
  [
    'envFrom',
    (t) => (t.envFrom = [{ secretRef: { name: 'db' }, configMapRef: { name: 'c' } }]),
    'envFrom[0]',
    'must be {secretRef: {name}} or {configMapRef: {name}}, with an optional prefix',
  ],
  [
    'service account',
    (t) => (t.serviceAccountName = 'Etl'),
    'serviceAccountName',
    'must be a DNS-1123 subdomain: lower-case letters, digits, - and ., starting and ending with a letter or digit',
  ],
  [
    'automount type',
    (t) => (t.automountServiceAccountToken = 'yes'),
    'automountServiceAccountToken',
    'must be boolean',
  ],
  [
    'node selector',
    (t) => (t.nodeSelector = { pool: 'gpu pool' }),
    'nodeSelector.pool',
    'must be empty or letters, digits, -, _ or ., starting and ending with a letter or digit',
  ],
  [
    'toleration Exists',
    (t) => (t.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]),
    'tolerations[0].value',
    'must be empty when operator is Exists',
  ],
  [
    'tolerationSeconds',
    (t) => (t.tolerations = [{ key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }]),
    'tolerations[0].effect',
    'must be NoExecute when tolerationSeconds is set',
  ],
  [
    'affinity In',
    (t) =>
      (t.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }],
          },
        },
      }),
    'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values',
    'must be non-empty when operator is In',
  ],
  ['affinity field', (t) => (t.affinity = { nodeAfinity: {} }), 'affinity.nodeAfinity', 'is not an allowed field'],
  [
    'priority class',
    (t) => (t.priorityClassName = 'High'),
    'priorityClassName',
    'must be a DNS-1123 subdomain: lower-case letters, digits, - and ., starting and ending with a letter or digit',
  ],
  [
    'resource name',
    (t) => (t.resources.limits.gpu = '1'),
    'resources.limits.gpu',
    'is not a resource name: use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed name such as nvidia.com/gpu',
  ],
  [
    'gpu fraction',
    (t) => {
      t.resources.requests['nvidia.com/gpu'] = '500m';
      t.resources.limits['nvidia.com/gpu'] = '500m';
    },
    'resources.requests.nvidia.com/gpu',
    'must be a whole number: nvidia.com/gpu is an extended resource',
  ],
  [
    'gpu overcommit',
    (t) => {
      t.resources.requests['nvidia.com/gpu'] = '1';
      t.resources.limits['nvidia.com/gpu'] = '2';
    },
    'resources.requests.nvidia.com/gpu',
    'must equal limits.nvidia.com/gpu: nvidia.com/gpu cannot be overcommitted',
  ],
  [
    'gpu without limit',
    (t) => (t.resources.requests['nvidia.com/gpu'] = '1'),
    'resources.limits.nvidia.com/gpu',
    'is required: nvidia.com/gpu cannot be overcommitted',
  ],
  [
    'negative',
    (t) => (t.resources.requests.cpu = '-1'),
    'resources.requests.cpu',
    'must be greater than or equal to 0',
  ],
  [
    'free-text tag',
    (t) => {
      t.image = { repository: 'r.example.com/etl', tagFromParam: 'v' };
      t.params.properties.v = { type: 'string', default: '1' };
    },
    'params.properties.v',
    'chooses the image tag, so it must be a string param with an enum (a fixed list, never free text)',
  ],
  [
    'bad tag',
    (t) => {
      t.image = { repository: 'r.example.com/etl', tagFromParam: 'v' };
      t.params.properties.v = { type: 'string', enum: ['1.0', 'a b'], default: '1.0' };
    },
    'params.properties.v.enum',
    '"a b" is not a valid image tag',
  ],
  [
    'preset without default',
    (t) => {
      t.resources = { fromParam: 's', presets: { a: t.resources } };
      t.params.properties.s = { type: 'string', enum: ['a'] };
    },
    'params.properties.s',
    'chooses the resources preset, so it needs a default or must be listed in params.required',
  ],
  [
    'preset missing',
    (t) => {
      t.resources = { fromParam: 's', presets: { a: t.resources } };
      t.params.properties.s = { type: 'string', enum: ['a', 'b'], default: 'a' };
    },
    'params.properties.s.enum',
    '"b" has no preset in resources.presets',
  ],
  [
    'preset quantity',
    (t) => {
      t.resources = {
        fromParam: 's',
        presets: { a: { requests: { cpu: '1', memory: 'lots' }, limits: { cpu: '1', memory: '1Gi' } } },
      };
      t.params.properties.s = { type: 'string', enum: ['a'], default: 'a' };
    },
    'resources.presets.a.requests.memory',
    '"lots" is not a Kubernetes quantity',
  ],
  [
    'preset shape',
    (t) => (t.resources = { fromParam: 's' }),
    'resources',
    'must be {requests, limits} or {fromParam, presets}',
  ],
  [
    'reserved env via secret',
    (t) => (t.env = [{ name: 'JOB_TYPE', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]),
    'env[0].name',
    'JOB_TYPE is set by the proxy itself and cannot be redefined',
  ],
];

test('a table of refusals: each names the template id and the field, with its message', () => {
  for (const [name, edit, field, message] of REFUSALS) {
    const raw = minimal();
    edit(raw);
    const checked = checkTemplate(raw);
    assert.equal(checked.id, 'etl', name);
    assert.equal(checked.template, undefined, `${name} must be refused`);
    assert.deepEqual(checked.problems[0], { field, message }, name);
  }
});

test('a copied Pod spec is refused for what it asks, even with fields the catalog does not know', () => {
  const raw = { ...minimal(), hostPID: true, dnsPolicy: 'ClusterFirst', securityContext: { privileged: true } };
  const checked = checkTemplate(raw);
  assert.deepEqual(
    checked.problems.map((p) => p.field),
    ['hostPID', 'securityContext.privileged']
  );
});

test('a template without an id is reported by its place in the list', () => {
  const raw = minimal();
  delete raw.id;
  assert.deepEqual(checkTemplate(raw, 4), { id: '#5', problems: [{ field: 'id', message: 'is required' }] });
});
