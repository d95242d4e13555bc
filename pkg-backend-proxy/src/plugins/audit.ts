import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { purgedEvent, rejectedEvent, runNowEvent, type ScheduleChange, scheduleEvent, transitions } from '../audit.ts';
import type { AuditEvent } from '../contract/audit.ts';
import { HttpError } from '../http-error.ts';
import { sanitizeLaunchedBy } from '../jobs/launched-by.ts';
import type { Job, Schedule } from '../schemas/index.ts';

export interface Audit {
  purged(job: Job, by: string): void;
  schedule(event: ScheduleChange, schedule: Schedule, by: string, changed?: string[]): void;
  runNow(job: Job, by: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    audit: Audit;
  }
}

/** Where audit lines go: stdout, beside (not through) the logger, so LOG_LEVEL never silences them. */
export type AuditSink = (line: string) => void;

export const stdoutSink: AuditSink = (line) => {
  process.stdout.write(line);
};

/**
 * The audit stream (issue 12 §4): one JSON line per job transition, from the Pod watch (launched, started,
 * cancelled, finished, on every replica and again after a restart, with the same eventIds) and from the requests
 * only one replica sees (rejected launches, purges, schedule changes and runs started by hand).
 */
export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { sink?: AuditSink }) => {
    const sink = opts.sink ?? stdoutSink;
    const write = (e: AuditEvent) => sink(`${JSON.stringify(e)}\n`);
    app.jobs.onChange((prev, next) => {
      if (next) {
        for (const e of transitions(prev, next)) {
          write(e);
        }
      }
    });
    app.decorate('audit', {
      purged: (job, by) => write(purgedEvent(job, by)),
      schedule: (event, schedule, by, changed) => write(scheduleEvent(event, schedule, by, changed)),
      runNow: (job, by) => write(runNowEvent(job, by)),
    } satisfies Audit);
    app.addHook('onError', async (request, _reply, err) => {
      if (request.routeOptions.config?.launch !== true) {
        return;
      }
      const http = err instanceof HttpError ? err : undefined;
      const status = http?.statusCode ?? (typeof err.statusCode === 'number' ? err.statusCode : 500);
      // a refusal is a 4xx (or a named Kubernetes refusal); a crash of our own is no decision about the launch
      const reason = http?.rejectReason ?? (status < 500 ? 'invalid' : undefined);
      if (reason === undefined) {
        return;
      }
      write(
        rejectedEvent({
          body: request.body,
          launchedBy: sanitizeLaunchedBy(request.headers['x-grafana-user']),
          reason,
          status,
          message: err.message,
        })
      );
    });
  },
  { name: 'flowkube-audit', dependencies: ['flowkube-job-cache'] }
);
