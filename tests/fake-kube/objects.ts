// How the API server fills in a new Pod (names, defaults, initial status), and the instant Pods of seedPods().
import { randomInt, randomUUID } from 'node:crypto';
import type { V1Container, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { clone } from './store.ts';

/** The alphabet of generated names: no vowels (no accidental words) and no look-alike characters. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_PREFIX = 63 - 5;

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  }
  return prefix.slice(0, MAX_GENERATED_PREFIX) + suffix;
}

/** Kubernetes writes timestamps with whole seconds. */
export const timestamp = (at: Date = new Date()): string => at.toISOString().replace(/\.\d+Z$/, 'Z');

/** Real API objects carry Date strings; client-node's V1Pod types them as Date, so the cast lives here only. */
export const asDate = (value: string): Date => value as unknown as Date;

function qosClass(containers: V1Container[]): string {
  const resources = containers.map((c) => c.resources ?? {});
  if (resources.every((r) => !r.limits && !r.requests)) {
    return 'BestEffort';
  }
  const guaranteed = resources.every((r) =>
    ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined && (r.requests?.[k] ?? r.limits[k]) === r.limits[k])
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultPullPolicy(image: string): string {
  const last = image.split('/').pop() ?? image;
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/** The object as stored on create: server-set metadata, defaulted spec, status reset to Pending. */
export function admitPod(body: V1Pod, namespace: string, name: string, now: Date): V1Pod {
  const pod = clone(body);
  // Stored without kind/apiVersion: list items have none; single objects get them back on the way out (withKind).
  delete pod.apiVersion;
  delete pod.kind;
  const meta = (pod.metadata ??= {});
  meta.name = name;
  meta.namespace = namespace;
  meta.uid = randomUUID();
  meta.creationTimestamp = asDate(timestamp(now));
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  const spec = pod.spec ?? { containers: [] };
  // validation refuses a Pod without containers; defaults run first and must not trip over one
  spec.containers = Array.isArray(spec.containers) ? spec.containers : [];
  pod.spec = spec;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  for (const c of spec.containers) {
    c.imagePullPolicy ??= defaultPullPolicy(c.image ?? '');
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    if (c.resources.limits) {
      c.resources.requests = { ...c.resources.limits, ...c.resources.requests };
    }
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(spec.containers) };
  return pod;
}

export interface SeedSpec {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  phase: string;
  createdAt: Date;
  finishedAt: Date;
  image: string;
}

/** A Pod as it looks after the kubelet has taken it to `phase`, with container states to match. */
export function seededPod(s: SeedSpec): V1Pod {
  const created = timestamp(s.createdAt);
  const finished = timestamp(s.finishedAt);
  const terminal = s.phase === 'Succeeded' || s.phase === 'Failed';
  const status: V1PodStatus = { phase: s.phase, qosClass: 'Guaranteed' };
  if (s.phase !== 'Pending' && s.phase !== 'Unknown') {
    status.startTime = asDate(created);
    status.hostIP = '10.0.0.10';
    status.podIP = '10.244.0.10';
  }
  const base = { name: 'worker', image: s.image, imageID: '', restartCount: 0 };
  if (terminal) {
    const exitCode = s.phase === 'Succeeded' ? 0 : 1;
    const reason = exitCode === 0 ? 'Completed' : 'Error';
    status.containerStatuses = [
      {
        ...base,
        ready: false,
        started: false,
        state: { terminated: { exitCode, reason, startedAt: asDate(created), finishedAt: asDate(finished) } },
      },
    ];
  } else if (s.phase === 'Running') {
    status.containerStatuses = [
      { ...base, ready: true, started: true, state: { running: { startedAt: asDate(created) } } },
    ];
  } else {
    status.containerStatuses = [
      { ...base, ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } } },
    ];
  }
  return {
    metadata: {
      name: s.name,
      namespace: s.namespace,
      uid: randomUUID(),
      creationTimestamp: asDate(created),
      labels: s.labels,
      annotations: s.annotations,
    },
    spec: {
      restartPolicy: 'Never',
      nodeName: s.phase === 'Pending' ? undefined : 'fake-node',
      containers: [
        {
          name: 'worker',
          image: s.image,
          command: ['python', '/app/app_basic.py'],
          resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
        },
      ],
    },
    status,
  };
}

export const withKind = (pod: V1Pod): V1Pod => ({ kind: 'Pod', apiVersion: 'v1', ...pod });
