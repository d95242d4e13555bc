import { openSync, writeSync } from 'node:fs';
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
 * FLOWKUBE_AUDIT_FILE: each line is appended to the file, then passed on (to stdout). Where no one collects the
 * proxy's stdout (the compose stack runs it outside Kubernetes), Fluent Bit tails this file instead. Opened once, at
 * start, so a path the proxy cannot write ends it at once; a write that fails later (a full disk) is reported once
 * per cause and never stops the line reaching `next`.
 */
export function appendingSink(path: string, next: AuditSink = stdoutSink): AuditSink {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (err) {
    throw new Error(`FLOWKUBE_AUDIT_FILE: cannot open ${path} for appending (${(err as NodeJS.ErrnoException).code})`);
  }
  const reported = new Set<string>();
  return (line) => {
    try {
      writeSync(fd, line);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      if (!reported.has(code)) {
        reported.add(code);
        process.stderr.write(`flowkube-proxy: FLOWKUBE_AUDIT_FILE: cannot append to ${path} (${code})\n`);
      }
    }
    next(line);
  };
}

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
