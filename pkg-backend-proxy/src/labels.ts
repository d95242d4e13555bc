// Every label and annotation name FlowKube writes on Kubernetes objects, in one place: the Pods it launches, the
// Leases that hold its launch slots and its audit watermark, and the selectors that find them again.

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'flowkube';
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY}`;
export const LABEL_TEMPLATE = 'flowkube.io/template';
/** The label the original Fluent Bit → Loki pipeline keys on. */
export const LABEL_JOB_TYPE = 'job_type';

/** On ConfigMaps: the proxy reads catalog templates from those labelled `flowkube.io/catalog=true`. */
export const LABEL_CATALOG = 'flowkube.io/catalog';
export const CATALOG_SELECTOR = `${LABEL_CATALOG}=true`;

export const ANN_LAUNCHED_BY = 'flowkube.io/launched-by';
export const ANN_PARAMS = 'flowkube.io/params';
export const ANN_REQUEST_HASH = 'flowkube.io/request-hash';
/** Unique per launch attempt, so a retried create can tell its own Pod from someone else's. */
export const ANN_LAUNCH_ID = 'flowkube.io/launch-id';
/** The slot Leases a Pod holds (`name=uid,…`): whoever sees the Pod end frees exactly those claims. */
export const ANN_SLOTS = 'flowkube.io/slots';

/** The launcher panel a job came from (its dashboard UID, panel id and a title to show): schemas/job.ts JobSource. */
export const ANN_SOURCE_DASHBOARD = 'flowkube.io/source-dashboard';
export const ANN_SOURCE_PANEL = 'flowkube.io/source-panel';
export const ANN_SOURCE_TITLE = 'flowkube.io/source-title';

/** Who cancelled a job and when (ISO time): a cancel stops the Pod but keeps it, so the job shows as Cancelled. */
export const ANN_CANCELLED_BY = 'flowkube.io/cancelled-by';
export const ANN_CANCELLED_AT = 'flowkube.io/cancelled-at';
/**
 * On a cancelled Pod, as a label so kube-state-metrics can export it (kube_pod_labels): a cancel ends the Pod Failed,
 * and the job-failed alert must not page anyone for a person's decision.
 */
export const LABEL_CANCELLED = 'flowkube.io/cancelled';
/**
 * On a Pod cancelled before it ran, added by the cancel before it deletes the Pod: the Pod then stays, marked deleting,
 * so every replica, and one that starts later, lists the job as Cancelled; purge and retention remove the finalizer.
 * Not on Pods a Job owns: their Job's TTL deletes them through the garbage collector, which the proxy does not follow.
 */
export const FINALIZER_CANCELLED = 'flowkube.io/cancelled';

/** On a schedule's CronJob, its Jobs and their Pods: the schedule (CronJob) name. */
export const LABEL_SCHEDULE = 'flowkube.io/schedule';
/** On a schedule's CronJob: who created it. */
export const ANN_CREATED_BY = 'flowkube.io/created-by';
/** Kubernetes' mark of a Job made by hand from a CronJob (kubectl create job --from=cronjob/…). */
export const ANN_INSTANTIATE = 'cronjob.kubernetes.io/instantiate';
/** Set by the Job controller on the Pods of a Job (kubernetes pkg/apis/batch/types.go JobNameLabel). */
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';

/** On slot Leases: which limit the slot belongs to (`global` or `template-<id>`). */
export const LABEL_SLOT_SCOPE = 'flowkube.io/slot-scope';

/** On the audit watermark's Lease: the newest job transition time (ISO) a replica has written to the audit stream. */
export const ANN_AUDIT_WATERMARK = 'flowkube.io/audit-watermark';
