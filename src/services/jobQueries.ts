// The proxy's default namespace: logs and cAdvisor series are selected by where it runs the worker Pods.
import { DEFAULT_NAMESPACE as JOBS_NAMESPACE } from '@flowkube/backend-proxy/contract';

/** Quotes a value for a LogQL/PromQL double-quoted string (ids are DNS names, but never trust that here). */
const quote = (value: string) => JSON.stringify(value);

/**
 * The job's log lines in Loki. The Pod name is structured metadata, not a label (one stream per Pod would
 * blow up Loki's index), so it is filtered after the `job_type` stream selector; `level` comes from the JSON line.
 */
export function jobLogsExpr(template: string, id: string, level = '$level'): string {
  const selector = `{namespace=${quote(JOBS_NAMESPACE)}, job_type=${quote(template)}}`;
  return `${selector} | pod=${quote(id)} | json | level=~${quote(level)}`;
}

/** cAdvisor series of the job's Pod; `container!=""` drops the Pod-level aggregate that would double-count. */
export function jobCpuExpr(id: string): string {
  return `sum(rate(container_cpu_usage_seconds_total{namespace=${quote(JOBS_NAMESPACE)}, pod=${quote(id)}, container!=""}[1m]))`;
}

export function jobMemoryExpr(id: string): string {
  return `sum(container_memory_working_set_bytes{namespace=${quote(JOBS_NAMESPACE)}, pod=${quote(id)}, container!=""})`;
}
