import { openSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { purgedEvent, rejectedEvent, runNowEvent, type ScheduleChange, scheduleEvent, transitions } from '../audit.ts';
import type { AuditEvent } from '../contract/audit.ts';
import { HttpError } from '../http-error.ts';
import type { CachedPod } from '../jobs/cached-pod.ts';
import { sanitizeLaunchedBy } from '../jobs/launched-by.ts';
import type { Job, Schedule } from '../schemas/index.ts';
import { AuditWatermark, DEFAULT_WATERMARK, type WatermarkOptions } from './audit-watermark.ts';

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

/** How long shutdown waits for the last watermark save, of the 10 s grace server.ts gives the whole close. */
const SHUTDOWN_SAVE_MS = 3000;

/** The newest time a record's transitions can carry; NaN when one is not a time (then each event is judged alone). */
function newestTransitionMs(r: CachedPod): number {
  const created = r.rest.createdAt === undefined ? r.createdMs : Date.parse(r.rest.createdAt);
  const cancelled = r.rest.cancelledAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(r.rest.cancelledAt);
  return Math.max(
    created,
    r.startedMs ?? Number.NEGATIVE_INFINITY,
    r.finishedMs ?? Number.NEGATIVE_INFINITY,
    cancelled
  );
}

/**
 * The audit stream (issue 12 §4): one JSON line per job transition, from the Pod watch (launched, started,
 * cancelled, finished, on every replica, with the same eventIds) and from the requests only one replica sees
 * (rejected launches, purges, schedule changes and runs started by hand). A replica that starts skips the
 * transitions at or before the audit watermark less its margin (audit-watermark.ts): someone wrote those already.
 */
export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { sink?: AuditSink; watermark?: Partial<WatermarkOptions> }) => {
    const sink = opts.sink ?? stdoutSink;
    const { intervalMs, marginMs } = { ...DEFAULT_WATERMARK, ...opts.watermark };
    const write = (e: AuditEvent) => sink(`${JSON.stringify(e)}\n`);
    const watermark = new AuditWatermark(app.kube, app.log);
    /** Transitions at or before this (epoch ms) were written before this replica started. */
    let cutoff = Number.NEGATIVE_INFINITY;
    /** Changes seen before the watermark was read (none, unless the read is slower than the first list). */
    let held: Array<[CachedPod | undefined, CachedPod]> | undefined = [];
    const emit = (prev: CachedPod | undefined, next: CachedPod) => {
      // most Pods of a start's list are older than the watermark: skip them before building any Job or event
      if (newestTransitionMs(next) <= cutoff) {
        return;
      }
      for (const e of transitions(prev?.job, next.job)) {
        const ms = Date.parse(e.time);
        if (!(ms <= cutoff)) {
          write(e);
          watermark.note(ms);
        }
      }
    };
    app.jobs.onChange((prev, next) => {
      if (!next) {
        return;
      }
      if (held) {
        held.push([prev, next]);
      } else {
        emit(prev, next);
      }
    });
    // read with the Kubernetes deadline, beside the first list: neither app.ready() nor /readyz waits for it
    const reading = watermark.read().then((ms) => {
      if (ms !== undefined) {
        cutoff = ms - marginMs;
      }
      const changes = held ?? [];
      held = undefined;
      for (const [prev, next] of changes) {
        emit(prev, next);
      }
    });
    const timer = setInterval(() => void watermark.save(), intervalMs);
    timer.unref();
    app.addHook('preClose', async () => {
      clearInterval(timer);
      // a hung API must not eat the whole shutdown grace (server.ts): an unsaved watermark only means a few events
      // written again at the next start
      await Promise.race([reading.then(() => watermark.save()), sleep(SHUTDOWN_SAVE_MS, undefined, { ref: false })]);
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
