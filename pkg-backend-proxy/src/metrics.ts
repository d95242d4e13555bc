import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_PHASES, isFinished } from './contract/phases.ts';

let processRegistry: Registry | undefined;

/**
 * The process's own metrics (CPU, memory, heap, event loop, GC: prom-client's defaults), collected once per process
 * and served beside every app's. They are facts of the process, not of an app, and they cannot be stopped: each
 * `collectDefaultMetrics` call enables an event-loop-delay monitor (a libuv timer every 10 ms) and a GC
 * PerformanceObserver for good (prom-client 15 `lib/metrics/eventLoopLag.js`, `lib/metrics/gc.js`), so one per
 * app piled them up in a process that builds many apps (a test worker).
 */
export function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Every metric of one app (its own registry: the metrics plugin empties it when the app closes). Dashboards and
 * alert rules are tested against this registry, so renaming a metric here breaks a test instead of an on-call
 * person's dashboard.
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];

  return {
    registry,
    jobsLaunched: new Counter({
      name: 'flowkube_jobs_launched_total',
      help: 'Jobs (Pods) created by the proxy, by catalog template.',
      labelNames: ['template'] as const,
      registers,
    }),
    jobsFinished: new Counter({
      name: 'flowkube_jobs_finished_total',
      help: 'Jobs seen reaching a final phase (Succeeded, Failed or Cancelled), by template and phase.',
      labelNames: ['template', 'phase'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'flowkube_job_duration_seconds',
      help: 'Run time of finished jobs, from start to finish, by template and final phase.',
      labelNames: ['template', 'phase'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers,
    }),
    jobsActive: new Gauge({
      name: 'flowkube_jobs_active',
      help: 'FlowKube Pods currently known to the cache, by template and phase.',
      labelNames: ['template', 'phase'] as const,
      registers,
    }),
    launchRejected: new Counter({
      name: 'flowkube_launch_rejected_total',
      help: 'Launch requests refused, by reason (invalid, template_limit, global_limit, quota, kube_forbidden, kube_unavailable, kube_invalid, outcome_unknown).',
      labelNames: ['reason'] as const,
      registers,
    }),
    jobsDeleted: new Counter({
      name: 'flowkube_jobs_deleted_total',
      help: 'FlowKube Pods deleted by the proxy, by reason (cancel of a job not yet running, purge or retention).',
      labelNames: ['reason'] as const,
      registers,
    }),
    kubeRequests: new Counter({
      name: 'flowkube_kube_requests_total',
      help: 'Requests the proxy made to the Kubernetes API, by verb and HTTP status code (0 = no answer).',
      labelNames: ['verb', 'code'] as const,
      registers,
    }),
    watchRestarts: new Counter({
      name: 'flowkube_watch_restarts_total',
      help: 'Times the Pod watch was restarted: after an error, an expired resourceVersion or a stale (silent) watch.',
      labelNames: ['cause'] as const,
      registers,
    }),
    cacheReady: new Gauge({
      name: 'flowkube_cache_ready',
      help: '1 while the Pod cache is synced with the Kubernetes API, 0 while it is stale.',
      registers,
    }),
    httpDuration: new Histogram({
      name: 'flowkube_http_request_duration_seconds',
      help: 'Duration of HTTP requests served by the proxy, by method, route and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Starts each template's launch and finish counters at 0. A counter series that first appears at 1 looks like "no
 * change" to increase(), so without this a template's first failure would never fire the job-failed alert.
 */
export function primeTemplateSeries(metrics: Metrics, templateIds: string[]): void {
  for (const template of templateIds) {
    metrics.jobsLaunched.inc({ template }, 0);
    for (const phase of JOB_PHASES.filter(isFinished)) {
      metrics.jobsFinished.inc({ template, phase }, 0);
    }
  }
}
