// Deletion with propagation, as the garbage collector does it (kubernetes/kubernetes
// pkg/controller/garbagecollector/garbagecollector.go): Orphan strips the owner reference from the dependents,
// Background removes the owner at once and then its dependents, Foreground marks the owner (deletionTimestamp and
// the foregroundDeletion finalizer) and removes it only once its dependents are gone. Owners are CronJobs (of Jobs)
// and Jobs (of Pods); dependents are matched by the owner's uid.
import type { V1CronJob, V1Job, V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import type { Kubelet } from './kubelet.ts';
import { timestamp } from './objects.ts';
import { deletePodGracefully } from './pods.ts';
import type { ObjectStore, PodStore } from './store.ts';

export type Propagation = 'Orphan' | 'Background' | 'Foreground';

interface Stores {
  cronJobs: ObjectStore<V1CronJob>;
  jobs: ObjectStore<V1Job>;
  pods: PodStore;
  kubelet: Kubelet;
}

const ownedBy = (meta: V1ObjectMeta | undefined, uid: string | undefined): boolean =>
  uid !== undefined && (meta?.ownerReferences ?? []).some((o) => o.uid === uid);

export class GarbageCollector {
  private readonly s: Stores;

  constructor(stores: Stores) {
    this.s = stores;
    // a Foreground owner goes once its last dependent has
    stores.pods.subscribe((e) => {
      if (e.type === 'DELETED') {
        queueMicrotask(() => this.finishForeground());
      }
    });
    stores.jobs.subscribe((e) => {
      if (e.type === 'DELETED') {
        queueMicrotask(() => this.finishForeground());
      }
    });
  }

  /** Deletes a CronJob or a Job; false when it did not exist. */
  delete(resource: 'cronjobs' | 'jobs', namespace: string, name: string, propagation: Propagation): boolean {
    const store = (resource === 'cronjobs' ? this.s.cronJobs : this.s.jobs) as ObjectStore<V1CronJob | V1Job>;
    const owner = store.get(namespace, name);
    if (!owner) {
      return false;
    }
    const uid = owner.metadata?.uid;
    if (propagation === 'Foreground') {
      if (owner.metadata?.deletionTimestamp === undefined) {
        store.update(namespace, name, (d) => {
          const meta = (d.metadata ??= {});
          meta.deletionTimestamp = timestamp() as unknown as Date;
          meta.deletionGracePeriodSeconds = 0;
          meta.finalizers = [...(meta.finalizers ?? []), 'foregroundDeletion'];
        });
      }
      this.deleteDependents(resource, namespace, uid, 'Background');
      this.finishForeground();
      return true;
    }
    store.remove(namespace, name);
    if (propagation === 'Orphan') {
      this.orphanDependents(resource, namespace, uid);
    } else {
      this.deleteDependents(resource, namespace, uid, 'Background');
    }
    return true;
  }

  private deleteDependents(resource: 'cronjobs' | 'jobs', namespace: string, uid: string | undefined, p: Propagation) {
    if (resource === 'cronjobs') {
      for (const job of this.s.jobs.list(namespace).filter((j) => ownedBy(j.metadata, uid))) {
        this.delete('jobs', namespace, job.metadata?.name ?? '', p);
      }
      return;
    }
    for (const pod of this.s.pods.list(namespace).filter((x) => ownedBy(x.metadata, uid))) {
      this.deletePod(pod);
    }
  }

  private orphanDependents(resource: 'cronjobs' | 'jobs', namespace: string, uid: string | undefined) {
    const store = (resource === 'cronjobs' ? this.s.jobs : this.s.pods) as ObjectStore<V1Job | V1Pod>;
    for (const dependent of store.list(namespace).filter((x) => ownedBy(x.metadata, uid))) {
      store.update(namespace, dependent.metadata?.name ?? '', (d) => {
        const meta = (d.metadata ??= {});
        meta.ownerReferences = (meta.ownerReferences ?? []).filter((o) => o.uid !== uid);
        if (meta.ownerReferences.length === 0) {
          delete meta.ownerReferences;
        }
      });
    }
  }

  /** A graceful delete with the Pod's own grace period, as the API server's DELETE without options does. */
  deletePod(pod: V1Pod): void {
    deletePodGracefully({ store: this.s.pods, kubelet: this.s.kubelet }, pod);
  }

  private finishForeground(): void {
    for (const [store, dependents] of [
      [this.s.cronJobs, this.s.jobs],
      [this.s.jobs, this.s.pods],
    ] as Array<[ObjectStore<V1CronJob | V1Job>, ObjectStore<V1Job | V1Pod>]>) {
      for (const owner of store.all()) {
        const meta = owner.metadata;
        if (!meta?.finalizers?.includes('foregroundDeletion')) {
          continue;
        }
        const namespace = meta.namespace ?? '';
        if (!dependents.list(namespace).some((d) => ownedBy(d.metadata, meta.uid))) {
          store.remove(namespace, meta.name ?? '');
        }
      }
    }
  }
}
