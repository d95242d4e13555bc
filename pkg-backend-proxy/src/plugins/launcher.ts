import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Admission } from '../jobs/admission.ts';
import type { RetryOptions } from '../jobs/create-pod.ts';
import { Launcher } from '../jobs/launcher.ts';
import { SlotSemaphore } from '../jobs/slots.ts';

declare module 'fastify' {
  interface FastifyInstance {
    launcher: Launcher;
  }
}

export interface LauncherOptions {
  /** FLOWKUBE_MAX_ACTIVE */
  maxActive: number;
  retry: RetryOptions;
  /** The longest one launch may take, slot claims and create retries included. */
  deadlineMs: number;
  /** How old an unheld slot's claim must be before another launch takes it back (well above `deadlineMs`). */
  slotGraceMs: number;
}

/** The launch path: admission against the cluster-wide slot Leases, then the Pod create. */
export const launcherPlugin = fp(
  async (app: FastifyInstance, opts: LauncherOptions) => {
    const { kube, jobs, metrics, cacheState } = app;
    const slots = new SlotSemaphore({
      kube,
      store: jobs,
      cacheReady: () => cacheState.ready,
      graceMs: opts.slotGraceMs,
      log: app.log,
    });
    const admission = new Admission({ store: jobs, slots, maxActive: opts.maxActive });
    app.decorate(
      'launcher',
      new Launcher({
        kube,
        store: jobs,
        metrics,
        admission,
        retry: opts.retry,
        deadlineMs: opts.deadlineMs,
        abandonWatchMs: opts.slotGraceMs,
        log: app.log,
      })
    );
  },
  { name: 'flowkube-launcher', dependencies: ['flowkube-kube', 'flowkube-job-cache', 'flowkube-metrics'] }
);
