import { randomInt } from 'node:crypto';
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import type { FastifyBaseLogger } from 'fastify';
import { isActive } from '../contract/phases.ts';
import { describeKubeError } from '../kube/errors.ts';
import { LABEL_MANAGED_BY, LABEL_SLOT_SCOPE, MANAGED_BY } from '../labels.ts';
import type { Kube } from '../plugins/kube.ts';
import type { JobStore } from './job-store.ts';

/** One limit: at most `limit` jobs hold a slot of `scope` at a time, across every replica. */
export interface SlotScope {
  /** A label value: `global` (FLOWKUBE_MAX_ACTIVE) or `template-<id>` (the template's maxConcurrent). */
  scope: string;
  limit: number;
}

/** A Lease this launch created; its uid lets a release delete exactly this claim and not a later one. */
export interface Slot {
  name: string;
  uid: string;
}

export const GLOBAL_SCOPE = 'global';
export const templateScope = (template: string): string => `template-${template}`;
export const slotName = (scope: string, index: number): string => `flowkube-slot-${scope}-${index}`;

/** `name=uid,name=uid`: the ANN_SLOTS annotation a Pod carries, so whoever sees it end can free its slots. */
export function formatSlots(slots: Slot[]): string {
  return slots.map((s) => `${s.name}=${s.uid}`).join(',');
}

export function parseSlots(text: string | undefined): Slot[] {
  if (!text) {
    return [];
  }
  return text
    .split(',')
    .map((part) => part.split('='))
    .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '' && kv[1] !== '')
    .map(([name, uid]) => ({ name, uid }));
}

/** Slot indexes not in `taken`, below `limit`, in random order so that replicas racing for slots rarely collide. */
export function freeIndexes(taken: Set<number>, limit: number, pick: (n: number) => number = randomInt): number[] {
  const free: number[] = [];
  for (let i = 0; i < limit; i++) {
    if (!taken.has(i)) {
      free.push(i);
    }
  }
  for (let i = free.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  return free;
}

interface Deps {
  kube: Kube;
  store: JobStore;
  /** Whether the store can be trusted to know every FlowKube Pod (synced and watching). */
  cacheReady: () => boolean;
  /**
   * How old a claim must be before it may be taken from a holder the cache does not know: longer than a launch can
   * take from its claim to its Pod showing up in the cache (launch deadline plus one call's deadline).
   */
  graceMs: number;
  log: FastifyBaseLogger;
}

/**
 * The launch limits, exact across replicas without a database: a counting semaphore made of coordination.k8s.io
 * Leases, one per slot (`flowkube-slot-<scope>-<n>`, n < limit). Creating a Lease claims its slot, and Kubernetes'
 * AlreadyExists (409) is the lock. A slot is freed by deleting its Lease when the job's Pod ends, and a Lease whose
 * holder is over or gone (an older replica died between claim and release) is taken back when the scope is full.
 */
export class SlotSemaphore {
  private readonly deps: Deps;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  /**
   * One slot of each scope for `holder` (a Pod name), in order. Returns the scope that is full, having freed what it
   * had already claimed; or the claimed slots. Kubernetes failures are thrown (after freeing, too).
   */
  async claim(scopes: SlotScope[], holder: string): Promise<{ slots: Slot[] } | { full: SlotScope }> {
    const slots: Slot[] = [];
    try {
      for (const scope of scopes) {
        const slot = await this.claimOne(scope, holder);
        if (!slot) {
          await this.release(slots);
          return { full: scope };
        }
        slots.push(slot);
      }
      return { slots };
    } catch (err) {
      await this.release(slots);
      throw err;
    }
  }

  /** Deletes these claims; one taken back and re-claimed meanwhile (another uid) or already gone is left alone. */
  async release(slots: Slot[]): Promise<void> {
    const { kube, log } = this.deps;
    await Promise.all(
      slots.map(async (slot) => {
        try {
          await kube.call('delete', () =>
            kube.coordination.deleteNamespacedLease({
              name: slot.name,
              namespace: kube.namespace,
              body: { preconditions: { uid: slot.uid } },
            })
          );
        } catch (err) {
          const f = describeKubeError(err);
          if (f.status !== 404 && f.status !== 409) {
            // not lost: a slot whose holder is over is taken back by the next launch that finds its scope full
            log.warn({ lease: slot.name, status: f.status, reason: f.reason }, 'could not free a launch slot');
          }
        }
      })
    );
  }

  private async claimOne(scope: SlotScope, holder: string): Promise<Slot | undefined> {
    const { kube } = this.deps;
    const list = await kube.call('list', () =>
      kube.coordination.listNamespacedLease({
        namespace: kube.namespace,
        labelSelector: `${LABEL_SLOT_SCOPE}=${scope.scope}`,
      })
    );
    const taken = new Set<number>();
    const prefix = slotName(scope.scope, 0).slice(0, -1);
    let held = 0;
    for (const lease of list.items) {
      const index = Number((lease.metadata?.name ?? '').slice(prefix.length));
      if (!(await this.reclaimIfAbandoned(lease))) {
        held += 1;
        if (Number.isInteger(index)) {
          taken.add(index);
        }
      }
    }
    if (held >= scope.limit) {
      return undefined;
    }
    for (const index of freeIndexes(taken, scope.limit)) {
      const slot = await this.create(scope.scope, index, holder);
      if (slot) {
        return slot;
      }
    }
    return undefined;
  }

  /** Creates the Lease of one slot; undefined when another launch holds it (409). */
  private async create(scope: string, index: number, holder: string): Promise<Slot | undefined> {
    const { kube } = this.deps;
    const body: V1Lease = {
      metadata: {
        name: slotName(scope, index),
        labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_SLOT_SCOPE]: scope },
      },
      spec: { holderIdentity: holder, acquireTime: new V1MicroTime() },
    };
    try {
      const lease = await kube.call('create', () =>
        kube.coordination.createNamespacedLease({ namespace: kube.namespace, body })
      );
      return { name: lease.metadata!.name!, uid: lease.metadata!.uid! };
    } catch (err) {
      if (describeKubeError(err).status === 409) {
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Deletes a Lease whose holder no longer runs: the Pod is over, or it is unknown to a healthy cache and the claim
   * is older than the grace (so it is not a launch still on its way to Kubernetes). True when the slot is free now.
   */
  private async reclaimIfAbandoned(lease: V1Lease): Promise<boolean> {
    const { kube, store, cacheReady, graceMs, log } = this.deps;
    const holder = lease.spec?.holderIdentity ?? '';
    const record = store.get(holder);
    if (record && isActive(record.job)) {
      return false;
    }
    const claimedAt = new Date(lease.spec?.acquireTime ?? lease.metadata?.creationTimestamp ?? 0).getTime();
    if (!record && (!cacheReady() || Date.now() - claimedAt < graceMs)) {
      return false;
    }
    try {
      await kube.call('delete', () =>
        kube.coordination.deleteNamespacedLease({
          name: lease.metadata!.name!,
          namespace: kube.namespace,
          body: { preconditions: { uid: lease.metadata!.uid, resourceVersion: lease.metadata!.resourceVersion } },
        })
      );
      log.info({ lease: lease.metadata!.name, holder }, 'took back a launch slot whose job is over');
      return true;
    } catch (err) {
      // 404: someone else took it back first, and the slot may be claimed again already: count it as held
      const f = describeKubeError(err);
      if (f.status !== 404 && f.status !== 409) {
        throw err;
      }
      return false;
    }
  }
}
