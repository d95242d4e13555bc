// The preview's Fluent Bit: what monitoring/fluent-bit-loki-values.yaml makes of the cluster's logs, pushed into the
// preview's Loki (loki.ts).
// - The proxy's audit lines (`auditLine`): stream {app="flowkube-proxy", stream="audit"}, no structured metadata,
//   the line as the proxy wrote it, at the event's own `time` (parser flowkube_audit, Time_Key time).
// - The worker Pods' logs (`shipWorkerLogs`): Fluent Bit tails each container's log file from its start
//   (Read_from_Head) and finds new files by scanning (Refresh_Interval); here each Pod's log is followed through the
//   fake Kubernetes API's pods/log (follow, timestamps: the kubelet's own time of each line) once its container has
//   started. Labels namespace, job_type, container and app (omitted when the Pod has no app.kubernetes.io/name label,
//   as a record accessor on a missing key gives no label), structured metadata pod and level (the worker's JSON
//   `level`, when the line is JSON and has one), and the line as the worker wrote it (Drop_Single_Key raw).
import type { V1Pod } from '@kubernetes/client-node';
import type { FakeKube } from '../fake-kube/index.ts';
import { AUDIT_STREAM_LABELS } from '../../pkg-backend-proxy/src/contract/audit.ts';
import type { LokiStore } from './loki.ts';
import { isoToNs } from './lokiQuery.ts';

/** Pushes one audit line (the proxy's auditSink argument); lines that are not JSON events are Fluent Bit's to drop. */
export function shipAuditLine(store: LokiStore, line: string): void {
  const text = line.replace(/\n$/, '');
  let time: unknown;
  try {
    time = (JSON.parse(text) as { time?: unknown }).time;
  } catch {
    return;
  }
  if (typeof time === 'string') {
    store.push({ ...AUDIT_STREAM_LABELS }, { tsNs: isoToNs(time), line: text });
  }
}

const started = (pod: V1Pod) =>
  (pod.status?.containerStatuses ?? []).some((c) => c.state?.running || c.state?.terminated);

function levelOf(line: string): string | undefined {
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'string' ? level : undefined;
  } catch {
    return undefined;
  }
}

/** Pushes one `timestamps=true` log line of a Pod's container. */
export function shipWorkerLine(store: LokiStore, pod: V1Pod, container: string, stamped: string): void {
  const space = stamped.indexOf(' ');
  const line = stamped.slice(space + 1);
  const labels: Record<string, string> = {
    namespace: pod.metadata?.namespace ?? '',
    container,
  };
  const podLabels = pod.metadata?.labels ?? {};
  if (podLabels.job_type) {
    labels.job_type = podLabels.job_type;
  }
  if (podLabels['app.kubernetes.io/name']) {
    labels.app = podLabels['app.kubernetes.io/name'];
  }
  const level = levelOf(line);
  store.push(labels, {
    tsNs: isoToNs(stamped.slice(0, space)),
    line,
    metadata: { pod: pod.metadata?.name ?? '', ...(level && { level }) },
  });
}

async function follow(fake: FakeKube, store: LokiStore, pod: V1Pod, signal: AbortSignal): Promise<void> {
  const { namespace, name } = pod.metadata ?? {};
  for (const container of pod.spec?.containers ?? []) {
    const url = `${fake.url}/api/v1/namespaces/${namespace}/pods/${name}/log?container=${container.name}&follow=true&timestamps=true`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${fake.token}` }, signal });
    if (!response.ok || !response.body) {
      continue;
    }
    let rest = '';
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const lines = (rest + decoder.decode(read.value, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach((line) => shipWorkerLine(store, pod, container.name, line));
    }
    if (rest) {
      shipWorkerLine(store, pod, container.name, rest);
    }
  }
}

/**
 * Ships the logs of every worker Pod in `namespace` whose container has started, from its first line, until the
 * returned stop is called. A Pod deleted before it is found has no log to ship, as for Fluent Bit.
 */
export function shipWorkerLogs(fake: FakeKube, store: LokiStore, namespace: string, scanMs = 200): () => void {
  const controller = new AbortController();
  const followed = new Set<string>();
  const scan = () => {
    for (const pod of fake.pods(namespace)) {
      const uid = pod.metadata?.uid ?? '';
      if (!followed.has(uid) && started(pod)) {
        followed.add(uid);
        follow(fake, store, pod, controller.signal).catch(() => undefined);
      }
    }
  };
  scan();
  const timer = setInterval(scan, scanMs);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
