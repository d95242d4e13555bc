import type { FastifyBaseLogger } from 'fastify';
import { PatchStrategy, setHeaderOptions, type V1Lease } from '@kubernetes/client-node';
import { ANN_AUDIT_WATERMARK, LABEL_MANAGED_BY, MANAGED_BY } from '../labels.ts';
import { describeKubeError } from '../kube/errors.ts';
import type { Kube } from './kube.ts';

/**
 * The Lease that holds the watermark in its annotation (labels.ts ANN_AUDIT_WATERMARK). RBAC grants the proxy patch
 * on this one Lease only (k8s/base/rbac.yaml).
 */
export const AUDIT_WATERMARK_LEASE = 'flowkube-audit-watermark';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface WatermarkOptions {
  /** How often the newest written transition is saved, at most (and once more at shutdown). */
  intervalMs: number;
  /**
   * Taken off the saved time at start: transition times come from the API server's, the kubelets' and the
   * replicas' clocks, and a kubelet may report a transition a little after another replica wrote a newer one.
   */
  marginMs: number;
}

export const DEFAULT_WATERMARK: WatermarkOptions = { intervalMs: 30_000, marginMs: 120_000 };

/**
 * The audit watermark (issue 12 §5): the newest job transition time any replica has written to the audit stream,
 * kept as an annotation on a Lease of its own so that Kubernetes, not a database, holds it. A replica that starts
 * writes only the transitions after it (less the margin): the ones before were written by whoever saw them, and
 * readers dedupe on eventId anyway. Replicas share the one annotation; a replica that saves an older time than
 * another's only makes the next start write a few events again, never skip one. Every call has the Kubernetes
 * deadline, and any failure (no Lease yet, RBAC without it, no answer) means "write everything", as before.
 */
export class AuditWatermark {
  private readonly kube: Kube;
  private readonly log: FastifyBaseLogger;
  /** Epoch ms of the newest transition this replica wrote, and of the one it last saved. */
  private newest = Number.NEGATIVE_INFINITY;
  private saved = Number.NEGATIVE_INFINITY;
  private saving: Promise<void> | undefined;
  /** Whether the Lease is known to exist: then a save is one PATCH. */
  private exists = false;

  constructor(kube: Kube, log: FastifyBaseLogger) {
    this.kube = kube;
    this.log = log;
  }

  /** The saved watermark (epoch ms), or undefined when there is none to trust. */
  async read(): Promise<number | undefined> {
    const { kube } = this;
    try {
      const lease = await kube.call('get', () =>
        kube.coordination.readNamespacedLease({ name: AUDIT_WATERMARK_LEASE, namespace: kube.namespace })
      );
      this.exists = true;
      const text = lease.metadata?.annotations?.[ANN_AUDIT_WATERMARK];
      const ms = text === undefined ? Number.NaN : Date.parse(text);
      if (Number.isFinite(ms)) {
        this.saved = ms;
        return ms;
      }
      if (text !== undefined) {
        this.log.warn({ lease: AUDIT_WATERMARK_LEASE, value: text }, 'audit watermark is not a time: writing all');
      }
      return undefined;
    } catch (err) {
      const f = describeKubeError(err);
      if (f.status !== 404) {
        this.log.warn(
          { lease: AUDIT_WATERMARK_LEASE, status: f.status, reason: f.reason },
          f.status === 403
            ? 'cannot read the audit watermark Lease (grant get and patch on it, k8s/base/rbac.yaml): writing all'
            : 'cannot read the audit watermark: writing all audit events of the jobs found'
        );
      }
      return undefined;
    }
  }

  /** A transition at `ms` was written. */
  note(ms: number): void {
    if (ms > this.newest) {
      this.newest = ms;
    }
  }

  /** Saves the newest written transition while it is newer than the saved one; one save runs at a time. */
  save(): Promise<void> {
    this.saving ??= this.saveNewest().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async saveNewest(): Promise<void> {
    // a transition written while a save was under way is saved by the next round
    while (this.newest > this.saved) {
      const ms = this.newest;
      try {
        await this.write(new Date(ms).toISOString());
        this.saved = ms;
      } catch (err) {
        const f = describeKubeError(err);
        this.log.warn(
          { lease: AUDIT_WATERMARK_LEASE, status: f.status, reason: f.reason },
          'could not save the audit watermark'
        );
        return;
      }
    }
  }

  private async write(iso: string): Promise<void> {
    const { kube } = this;
    const annotations = { [ANN_AUDIT_WATERMARK]: iso };
    if (!this.exists) {
      const body: V1Lease = {
        metadata: { name: AUDIT_WATERMARK_LEASE, labels: { [LABEL_MANAGED_BY]: MANAGED_BY }, annotations },
      };
      try {
        await kube.call('create', () => kube.coordination.createNamespacedLease({ namespace: kube.namespace, body }));
        this.exists = true;
        return;
      } catch (err) {
        // another replica made it first: patch it as if it had been there
        if (describeKubeError(err).status !== 409) {
          throw err;
        }
        this.exists = true;
      }
    }
    try {
      await kube.call('patch', () =>
        kube.coordination.patchNamespacedLease(
          { name: AUDIT_WATERMARK_LEASE, namespace: kube.namespace, body: { metadata: { annotations } } },
          MERGE_PATCH
        )
      );
    } catch (err) {
      // deleted by hand: made again by the next save
      if (describeKubeError(err).status === 404) {
        this.exists = false;
      }
      throw err;
    }
  }
}
