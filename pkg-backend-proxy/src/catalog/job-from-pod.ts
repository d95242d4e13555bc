import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { isJobPhase } from '../contract/phases.ts';
import { MAX_PANEL_ID, MAX_SOURCE_TITLE, isDashboardUid } from '../contract/source.ts';
import type { Job, JobPhase, JobSource, ParamValues } from '../schemas/index.ts';
import {
  ANN_CANCELLED_AT,
  ANN_CANCELLED_BY,
  ANN_LAUNCHED_BY,
  ANN_PARAMS,
  ANN_SOURCE_DASHBOARD,
  ANN_SOURCE_PANEL,
  ANN_SOURCE_TITLE,
  LABEL_JOB_TYPE,
  LABEL_MANAGED_BY,
  LABEL_SCHEDULE,
  LABEL_TEMPLATE,
  MANAGED_BY,
} from '../labels.ts';
import { failureFromPod } from '../jobs/failure.ts';
import { internObject, internString } from '../jobs/intern.ts';
import { isoTime } from '../kube/time.ts';
import { CONTAINER } from './render-pod.ts';

/** Exit code of a process ended by SIGTERM, i.e. what a cancelled worker exits with. */
const SIGTERM_EXIT = 143;
/** Waiting reasons that only mean "still starting": not worth showing as a problem. */
const ROUTINE_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * Timestamps are Dates when the typed client deserialised the Pod (list, get) and strings when they came raw
 * off the watch stream; both become ISO strings here.
 */
function iso(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  if (typeof value === 'string' && value !== '') {
    return isoTime(value);
  }
  return undefined;
}

function parseParams(text: string | undefined): ParamValues {
  if (!text) {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return {};
    }
    const out: ParamValues = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        out[k] = v;
      }
    }
    return out;
  } catch {
    return {};
  }
}

const PANEL_ID = /^(0|[1-9][0-9]{0,9})$/;

/**
 * The launcher panel named by the Pod's annotations, or null. Anyone with access to the namespace can write those,
 * so values the launch API would refuse are ignored rather than shown or matched.
 */
function sourceOf(annotations: Record<string, string>): JobSource | null {
  const dashboardUid = annotations[ANN_SOURCE_DASHBOARD];
  const panel = annotations[ANN_SOURCE_PANEL];
  if (!dashboardUid || !isDashboardUid(dashboardUid) || !panel || !PANEL_ID.test(panel)) {
    return null;
  }
  const panelId = Number(panel);
  if (panelId > MAX_PANEL_ID) {
    return null;
  }
  const title = annotations[ANN_SOURCE_TITLE];
  return {
    dashboardUid: internString(dashboardUid),
    panelId,
    ...(title ? { title: internString(title.slice(0, MAX_SOURCE_TITLE)) } : {}),
  };
}

function quantities(values: Record<string, unknown> | undefined): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const k in values) {
    if (Object.hasOwn(values, k)) {
      out ??= {};
      out[k] = String(values[k]);
    }
  }
  return out;
}

/**
 * Namespace, node, image and resources of the worker container, for the detail page, set on `job`: written into it
 * rather than spread from an object of their own, which a 100,000-Pod list would make and drop once per Pod.
 */
function place(pod: V1Pod, job: Job): void {
  const containers = pod.spec?.containers ?? [];
  const worker = containers.find((c) => c.name === CONTAINER) ?? containers[0];
  if (pod.metadata?.namespace) {
    job.namespace = internString(pod.metadata.namespace);
  }
  if (pod.spec?.nodeName) {
    job.node = internString(pod.spec.nodeName);
  }
  if (worker?.image) {
    job.image = internString(worker.image);
  }
  const requests = quantities(worker?.resources?.requests);
  const limits = quantities(worker?.resources?.limits);
  if (requests || limits) {
    const resources: NonNullable<Job['resources']> = {};
    if (requests) {
      resources.requests = requests;
    }
    if (limits) {
      resources.limits = limits;
    }
    job.resources = internObject(resources);
  }
}

function workerStatus(pod: V1Pod): V1ContainerStatus | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.find((s) => s.name === CONTAINER) ?? statuses[0];
}

function phaseOf(pod: V1Pod): JobPhase {
  const phase = pod.status?.phase;
  if (phase === undefined) {
    return 'Pending';
  }
  // Cancelled is FlowKube's own phase, never a Pod's
  return isJobPhase(phase) && phase !== 'Cancelled' ? phase : 'Unknown';
}

/** A Pod as the API shows it: what state it is in and, when it is stuck or failed, why. */
export function jobFromPod(pod: V1Pod): Job {
  const meta = pod.metadata ?? {};
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  const phase = phaseOf(pod);
  const container = workerStatus(pod);
  const state = container?.state;
  const terminated = state?.terminated ?? (phase === 'Running' ? undefined : container?.lastState?.terminated);

  const job: Job = {
    id: meta.name ?? '',
    template: labels[LABEL_TEMPLATE] ?? labels[LABEL_JOB_TYPE] ?? 'unknown',
    params: parseParams(annotations[ANN_PARAMS]),
    phase,
    launchedBy: annotations[ANN_LAUNCHED_BY] ?? 'unknown',
    schedule: labels[LABEL_SCHEDULE] ?? null,
    source: sourceOf(annotations),
    createdAt: iso(meta.creationTimestamp) ?? new Date(0).toISOString(),
  };
  place(pod, job);

  let reason: string | undefined;
  let message: string | undefined;
  if (state?.waiting?.reason && !ROUTINE_WAITING.has(state.waiting.reason)) {
    reason = state.waiting.reason;
    message = state.waiting.message;
  }
  if (terminated) {
    job.exitCode = terminated.exitCode;
    if (terminated.reason && terminated.reason !== 'Completed') {
      reason = terminated.reason;
      message = terminated.message ?? message;
    }
  }
  const unschedulable = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'
  );
  if (phase === 'Pending' && unschedulable && !reason) {
    reason = 'Unschedulable';
    message = unschedulable.message;
  }
  // The Pod-level reason (DeadlineExceeded, Evicted, …) explains more than the container's "Error".
  if (pod.status?.reason) {
    reason = pod.status.reason;
    message = pod.status.message ?? message;
  }

  const deletedAt = iso(meta.deletionTimestamp);
  if (deletedAt) {
    job.deletedAt = deletedAt;
    const cancelled = phase === 'Pending' || phase === 'Running' || job.exitCode === SIGTERM_EXIT;
    if (cancelled && !pod.status?.reason) {
      reason = 'Cancelled';
    }
  }
  const cancelledAt = iso(annotations[ANN_CANCELLED_AT]);
  if (cancelledAt) {
    job.cancelledBy = annotations[ANN_CANCELLED_BY] ?? 'unknown';
    job.cancelledAt = cancelledAt;
    // stopped by the lowered deadline, or deleted before it ran: either way the person's doing, not a failure.
    // A worker that still succeeded in the second it had left stays Succeeded.
    if (phase === 'Failed' || (deletedAt && phase !== 'Succeeded')) {
      job.phase = 'Cancelled';
      reason = 'Cancelled';
      message = `Cancelled by ${job.cancelledBy}`;
    }
  }
  if (reason) {
    job.reason = reason;
  }
  if (message) {
    job.message = message;
  }

  const startedAt = iso(state?.running?.startedAt) ?? iso(terminated?.startedAt);
  if (startedAt) {
    job.startedAt = startedAt;
  }
  let finishedAt = iso(terminated?.finishedAt);
  if (!finishedAt && (phase === 'Succeeded' || phase === 'Failed')) {
    // Evicted or deadline-killed Pods may carry no container state; the Ready condition flips when they end.
    finishedAt = iso(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  }
  if (!finishedAt && job.phase === 'Cancelled') {
    // deleted before it ran: it ended when it was cancelled
    finishedAt = cancelledAt;
  }
  if (finishedAt) {
    job.finishedAt = finishedAt;
    if (startedAt) {
      job.durationSeconds = Math.max(0, (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000);
    }
  }
  const failure = failureFromPod(pod, job, CONTAINER);
  if (failure) {
    job.failure = failure;
  }
  return job;
}

export function isManaged(pod: V1Pod | undefined): boolean {
  return pod?.metadata?.labels?.[LABEL_MANAGED_BY] === MANAGED_BY;
}
