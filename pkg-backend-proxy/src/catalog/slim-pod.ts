import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { ANN_LAUNCHED_BY, ANN_PARAMS, ANN_REQUEST_HASH } from './render-pod.ts';

/** The annotations the cache reads; the launch id is only ever read from a fresh GET. */
const KEPT_ANNOTATIONS = [ANN_LAUNCHED_BY, ANN_PARAMS, ANN_REQUEST_HASH];
/** jobFromPod looks at PodScheduled (Unschedulable) and Ready (when an evicted Pod ended). */
const KEPT_CONDITIONS = new Set(['PodScheduled', 'Ready']);

function slimState(state: V1ContainerState | undefined): V1ContainerState | undefined {
  if (!state) {
    return undefined;
  }
  const out: V1ContainerState = {};
  if (state.waiting) {
    out.waiting = { reason: state.waiting.reason, message: state.waiting.message };
  }
  if (state.running) {
    out.running = { startedAt: state.running.startedAt };
  }
  if (state.terminated) {
    const t = state.terminated;
    out.terminated = {
      exitCode: t.exitCode,
      reason: t.reason,
      message: t.message,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
    };
  }
  return out;
}

function slimContainer(s: V1ContainerStatus): V1ContainerStatus {
  // image, imageID, ready and restartCount are required by the type but never read by the cache
  return { name: s.name, state: slimState(s.state), lastState: slimState(s.lastState) } as V1ContainerStatus;
}

function slimCondition(c: V1PodCondition): V1PodCondition {
  return {
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionTime: c.lastTransitionTime,
  };
}

/**
 * What the informer's cache keeps of a Pod: the identity and versions it needs (name, namespace, uid,
 * resourceVersion), and exactly the fields jobFromPod and the job cache read. managedFields, the spec and most of
 * the status are dropped: at 10,000 Pods whole objects cost tens of MB the proxy never looks at.
 */
export function slimPod(pod: V1Pod): V1Pod {
  const meta = pod.metadata ?? {};
  const annotations: Record<string, string> = {};
  for (const key of KEPT_ANNOTATIONS) {
    const value = meta.annotations?.[key];
    if (value !== undefined) {
      annotations[key] = value;
    }
  }
  const status = pod.status;
  return {
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
      deletionTimestamp: meta.deletionTimestamp,
      labels: meta.labels,
      annotations,
    },
    status: status && {
      phase: status.phase,
      reason: status.reason,
      message: status.message,
      conditions: status.conditions?.filter((c) => KEPT_CONDITIONS.has(c.type)).map(slimCondition),
      containerStatuses: status.containerStatuses?.map(slimContainer),
    },
  };
}
