import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Job, JobFailure } from '../schemas/index.ts';

/** ERROR-level lines a summary keeps: enough to see the cause, few enough for one row of the Jobs list. */
export const MAX_LOG_LINES = 5;

/** Container reasons that say nothing beyond the exit code: the termination message or the log says more. */
const GENERIC_TERMINATED = new Set(['Error', 'Completed', 'ContainerStatusUnknown']);

/** Waiting reasons that keep a Pod from ever running until someone fixes the template, the image or a Secret. */
export const STUCK_WAITING = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/** What to say when Kubernetes gives a reason without a message (OOMKilled never has one). */
const EXPLAIN: Record<string, string> = {
  OOMKilled: 'the container used more memory than its limit and was killed',
  DeadlineExceeded: 'the job ran longer than its timeout',
  Evicted: 'the node ran short of resources and evicted the Pod',
  ImagePullBackOff: 'the image cannot be pulled',
  ErrImagePull: 'the image cannot be pulled',
  CreateContainerConfigError: 'the container cannot be configured (a missing Secret or ConfigMap key?)',
};

const LEADING_LEVEL = /^\W{0,2}(ERROR|FATAL|CRITICAL|PANIC)\b/i;
const JSON_LEVEL = /"(?:level|severity|lvl)"\s*:\s*"(error|fatal|critical|panic)"/i;

/**
 * Whether a log line is ERROR level: its JSON `level` (as the workers write) or a leading level word. The line is
 * only tested, never parsed into numbers, so it is kept exactly as written.
 */
export function isErrorLine(line: string): boolean {
  return JSON_LEVEL.test(line) || LEADING_LEVEL.test(line);
}

/** The last ERROR-level lines of a log text, at most MAX_LOG_LINES, as written. */
export function lastErrorLines(text: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.filter(isErrorLine).slice(-MAX_LOG_LINES);
}

/** The `msg` of a JSON log line, else the line itself: what a person reads first. */
function lineMessage(line: string): string {
  const m = /"(?:msg|message)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(line);
  if (m) {
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1]!;
    }
  }
  return line.trim();
}

function worker(pod: V1Pod, name: string): V1ContainerStatus | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.find((s) => s.name === name) ?? statuses[0];
}

/**
 * A termination message the kubelet took from the log (FallbackToLogsOnError: up to 80 lines) rather than from the
 * file the worker wrote: more than one line, or a JSON log record.
 */
function isLogTail(message: string): boolean {
  return message.trim().includes('\n') || /^\s*\{.*"(level|msg)"/.test(message);
}

function memoryLimit(pod: V1Pod, name: string): string | undefined {
  const c = pod.spec?.containers?.find((x) => x.name === name) ?? pod.spec?.containers?.[0];
  return c?.resources?.limits?.memory;
}

/**
 * Why a job did not succeed, from its Pod alone (no Kubernetes call, so the list can show it): Kubernetes' reason
 * and message first (OOMKilled, DeadlineExceeded, Evicted, ImagePullBackOff, CreateContainerConfigError, a cancel),
 * then the container's terminated.message (what the worker wrote to /dev/termination-log), then the last
 * ERROR-level lines of the log when the kubelet put the log's tail there. Undefined for a job that succeeded or
 * runs, and for one that is merely starting.
 */
export function failureFromPod(pod: V1Pod, job: Job, container: string): JobFailure | undefined {
  const status = worker(pod, container);
  const waiting = status?.state?.waiting;
  const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
  const stuck = job.phase === 'Pending' && waiting?.reason !== undefined && STUCK_WAITING.has(waiting.reason);
  if (job.phase !== 'Failed' && job.phase !== 'Cancelled' && job.phase !== 'Unknown' && !stuck) {
    return undefined;
  }
  const text = terminated?.message?.trim() ?? '';
  const fromLog = text !== '' && isLogTail(text);
  const lastLogLines = fromLog ? lastErrorLines(text) : [];
  const written = fromLog ? '' : text;
  const exitCode = terminated?.exitCode;

  let reason: string;
  let message: string;
  if (job.phase === 'Cancelled') {
    reason = 'Cancelled';
    message = `Cancelled by ${job.cancelledBy ?? 'unknown'}`;
  } else if (pod.status?.reason) {
    reason = pod.status.reason;
    message = pod.status.message || EXPLAIN[reason] || reason;
    if (waiting?.reason && !status?.state?.running && terminated === undefined) {
      message += ` (the container never started: ${waiting.reason})`;
    }
  } else if (terminated?.reason && !GENERIC_TERMINATED.has(terminated.reason)) {
    reason = terminated.reason;
    const limit = reason === 'OOMKilled' ? memoryLimit(pod, container) : undefined;
    message = written || `${EXPLAIN[reason] ?? reason}${limit ? ` (memory limit ${limit})` : ''}`;
  } else if (waiting?.reason && STUCK_WAITING.has(waiting.reason)) {
    reason = waiting.reason;
    message = waiting.message || EXPLAIN[reason] || reason;
  } else {
    reason = terminated?.reason ?? job.reason ?? job.phase;
    const lastError = lastLogLines.at(-1);
    message =
      written ||
      (lastError ? lineMessage(lastError) : '') ||
      (exitCode !== undefined ? `exited with code ${exitCode}` : (job.message ?? reason));
  }
  const failure: JobFailure = { reason, message, lastLogLines };
  if (exitCode !== undefined) {
    failure.exitCode = exitCode;
  }
  return failure;
}

/** A summary whose message is only the exit code: the log's ERROR lines would say more. */
export function wantsLogTail(failure: JobFailure): boolean {
  return failure.lastLogLines.length === 0 && failure.reason !== 'Cancelled';
}

/** The summary with the ERROR lines of the log's tail, read by the detail GET. */
export function withLogLines(failure: JobFailure, logTail: string): JobFailure {
  const lines = lastErrorLines(logTail);
  if (lines.length === 0) {
    return failure;
  }
  const onlyExitCode = failure.exitCode !== undefined && failure.message === `exited with code ${failure.exitCode}`;
  return { ...failure, lastLogLines: lines, message: onlyExitCode ? lineMessage(lines.at(-1)!) : failure.message };
}
