import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { jobFromPod } from '../catalog/job-from-pod.ts';
import { isActive } from '../contract/phases.ts';
import { parseTime } from '../kube/time.ts';
import { ANN_LAUNCH_ID, ANN_REQUEST_HASH, ANN_SLOTS, FINALIZER_CANCELLED } from '../labels.ts';
import type { Job, JobPhase } from '../schemas/index.ts';
import { internObject, internString } from './intern.ts';
import type { JobRecord } from './job-store.ts';

/** What a record knows beyond its job; most Pods have none of it, and then share one empty object. */
type Extras = Omit<JobRecord, 'job'>;
const NO_EXTRAS: Extras = Object.freeze({});

/**
 * The fields a CachedPod keeps itself; every other field of the job goes, shared where equal, into `rest`. A field is
 * 8 B per job (100,000 jobs: 0.8 MB), so the ones most jobs share (schedule, reason) and what follows from others
 * (active) are not fields.
 */
const OWN = new Set<string>([
  'id',
  'template',
  'params',
  'phase',
  'launchedBy',
  'createdAt',
  'startedAt',
  'finishedAt',
  'durationSeconds',
]);

/**
 * An ISO time as epoch ms, when the ms give the same text back. `written` says the text is toISOString's own (every
 * time jobFromPod writes is), which spares a Date per time and job on a 100,000-Pod list; other text is checked by
 * writing it again, since Date.parse also takes text that is not that (and dates that do not exist, like 02-30).
 */
function exactMs(text: string | undefined, written: boolean): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const ms = parseTime(text);
  return Number.isFinite(ms) && (written || new Date(ms).toISOString() === text) ? ms : undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function isEmpty(o: object): boolean {
  for (const k in o) {
    if (Object.hasOwn(o, k)) {
      return false;
    }
  }
  return true;
}

function toSeconds(ms: number): number;
function toSeconds(ms: number | undefined): number | undefined;
function toSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** Exact for every ms time: epoch ms have at most 13 digits, a double holds 15 to 17. */
const toMs = (seconds: number): number => Math.round(seconds * 1000);

/** A resourceVersion that a number gives back exactly (no leading zero, within the safe integers). */
const PLAIN_RV = /^[1-9]\d{0,14}$/;

/** A start or finish time as ms; text that is not an exact time stays in `rest` and compares as Date.parse does. */
function timeMs(text: string | undefined, field: string, rest: Record<string, unknown>, written: boolean) {
  const ms = exactMs(text, written);
  if (text !== undefined && ms === undefined) {
    rest[field] = text;
    return Date.parse(text);
  }
  return ms;
}

/**
 * One job in the cache, compact (issue 12 §5: 100,000 jobs in 60 MB): times as numbers, the parameters as their
 * JSON text (parsed only when the job is answered), repeated strings and the rarely-read fields shared between
 * jobs, and a lower-case search text. It is also the informer's cached object: `metadata` gives the keys and version
 * it diffs by, made when asked instead of kept. Immutable: a change of the Pod makes a new one, so the list's
 * indexes can find the old one by its keys.
 */
export class CachedPod implements KubernetesObject, JobRecord {
  readonly id: string;
  readonly namespace: string | undefined;
  /** The resourceVersion, as a number when it is a plain one (it always is from etcd): a string per Pod costs more. */
  private readonly rv: number | string | undefined;
  readonly template: string;
  readonly phase: JobPhase;
  readonly launchedBy: string;
  /**
   * The times as epoch seconds (getters below give ms). Kubernetes writes whole seconds, which V8 keeps as small
   * integers in the object itself; epoch ms are doubles, a heap number of 16 B each per time and job.
   */
  private readonly createdS: number;
  private readonly startedS: number | undefined;
  private readonly finishedS: number | undefined;
  readonly durationSeconds: number | undefined;
  /** Template, launchedBy, reason and every parameter value, lower-case, NUL between them, for `q`. */
  readonly haystack: string;
  /**
   * Every other field of the job (schedule, reason, message, failure, placement, cancel and source fields, …),
   * shared where equal. A schedule of null is not kept: most jobs have none.
   */
  readonly rest: Readonly<Partial<Job>>;
  private readonly paramsJson: string;
  private readonly extras: Extras;

  constructor(
    job: Job,
    extras: Extras = NO_EXTRAS,
    meta: { namespace?: string; resourceVersion?: string; isoTimes?: boolean } = {}
  ) {
    const written = meta.isoTimes === true;
    this.id = job.id;
    this.namespace = meta.namespace === undefined ? undefined : internString(meta.namespace);
    this.rv = PLAIN_RV.test(meta.resourceVersion ?? '') ? Number(meta.resourceVersion) : meta.resourceVersion;
    this.template = internString(job.template);
    this.phase = job.phase;
    this.launchedBy = internString(job.launchedBy);
    // loops rather than Object.entries/values: their arrays, made per field and job, were most of what mapping a
    // 100,000-Pod list allocated, and so most of the young collections during the sync
    const rest: Record<string, unknown> = {};
    for (const k in job) {
      const v = (job as unknown as Record<string, unknown>)[k];
      if (Object.hasOwn(job, k) && !OWN.has(k) && v !== undefined && !(k === 'schedule' && v === null)) {
        rest[k] = v;
      }
    }
    const created = exactMs(job.createdAt, written);
    this.createdS = toSeconds(created ?? 0);
    if (created === undefined) {
      rest.createdAt = job.createdAt;
    }
    this.startedS = toSeconds(timeMs(job.startedAt, 'startedAt', rest, written));
    this.finishedS = toSeconds(timeMs(job.finishedAt, 'finishedAt', rest, written));
    this.durationSeconds = job.durationSeconds;
    this.rest = internObject(rest);
    this.paramsJson = internString(JSON.stringify(job.params));
    let haystack = `${job.template}\0${job.launchedBy}\0${job.reason ?? ''}`;
    for (const k in job.params) {
      if (Object.hasOwn(job.params, k)) {
        haystack += `\0${String(job.params[k])}`;
      }
    }
    this.haystack = internString(haystack.toLowerCase());
    this.extras = isEmpty(extras) ? NO_EXTRAS : extras;
  }

  get schedule(): string | null {
    return this.rest.schedule ?? null;
  }

  get reason(): string | undefined {
    return this.rest.reason;
  }

  /** Pending or Running and not asked to stop: what the launch limits count. */
  get active(): boolean {
    return isActive({ phase: this.phase, deletedAt: this.rest.deletedAt, cancelledAt: this.rest.cancelledAt });
  }

  /** Epoch ms; 0 for a time that is not one (the text is kept in `rest`). */
  get createdMs(): number {
    return toMs(this.createdS);
  }

  /** Epoch ms, NaN for a time that is not one, undefined when absent: compared as `Date.parse` of the text would. */
  get startedMs(): number | undefined {
    return this.startedS === undefined ? undefined : toMs(this.startedS);
  }

  get finishedMs(): number | undefined {
    return this.finishedS === undefined ? undefined : toMs(this.finishedS);
  }

  get metadata(): { name: string; namespace?: string; resourceVersion?: string } {
    return { name: this.id, namespace: this.namespace, resourceVersion: this.resourceVersion };
  }

  get resourceVersion(): string | undefined {
    return this.rv === undefined ? undefined : String(this.rv);
  }

  get requestHash(): string | undefined {
    return this.extras.requestHash;
  }

  get launchId(): string | undefined {
    return this.extras.launchId;
  }

  get slots(): string | undefined {
    return this.extras.slots;
  }

  get ownerJob(): string | undefined {
    return this.extras.ownerJob;
  }

  get keepWhenDeleted(): boolean | undefined {
    return this.extras.keepWhenDeleted;
  }

  get cancelHold(): boolean | undefined {
    return this.extras.cancelHold;
  }

  get tombstone(): boolean | undefined {
    return this.extras.tombstone;
  }

  /** The job as the API answers it: a fresh object each time, so callers may change it freely. */
  get job(): Job {
    const job: Job = {
      id: this.id,
      template: this.template,
      params: JSON.parse(this.paramsJson) as Job['params'],
      phase: this.phase,
      launchedBy: this.launchedBy,
      createdAt: iso(this.createdMs),
      schedule: null,
      ...(this.rest as Partial<Job>),
    } as Job;
    if (this.startedMs !== undefined && this.rest.startedAt === undefined) {
      job.startedAt = iso(this.startedMs);
    }
    if (this.finishedMs !== undefined && this.rest.finishedAt === undefined) {
      job.finishedAt = iso(this.finishedMs);
    }
    if (this.durationSeconds !== undefined) {
      job.durationSeconds = this.durationSeconds;
    }
    return job;
  }

  /** Any record as a CachedPod: itself when it is one. */
  static of(record: JobRecord): CachedPod {
    if (record instanceof CachedPod) {
      return record;
    }
    const { job, ...extras } = record;
    return new CachedPod(job, extras);
  }
}

/** The informer's object for a Pod: its job, mapped from the whole Pod once, and the few annotations the proxy reads. */
export function cachedPod(pod: V1Pod): CachedPod {
  const meta = pod.metadata ?? {};
  const ann = meta.annotations ?? {};
  const job = jobFromPod(pod);
  const extras: Extras = {};
  if (ann[ANN_REQUEST_HASH] !== undefined) {
    extras.requestHash = ann[ANN_REQUEST_HASH];
  }
  if (ann[ANN_LAUNCH_ID] !== undefined) {
    extras.launchId = ann[ANN_LAUNCH_ID];
  }
  if (ann[ANN_SLOTS] !== undefined) {
    extras.slots = ann[ANN_SLOTS];
  }
  const owner = meta.ownerReferences?.find((o) => o.controller && o.kind === 'Job' && o.apiVersion === 'batch/v1');
  if (owner) {
    extras.ownerJob = owner.name;
  }
  const phase = pod.status?.phase;
  if (meta.finalizers?.includes(FINALIZER_CANCELLED)) {
    extras.cancelHold = true;
  } else if (job.cancelledAt !== undefined && ((phase !== 'Succeeded' && phase !== 'Failed') || !job.startedAt)) {
    // cancelled before it ran: the cancel deletes it, and the deadline it lowered first may fail it in between
    // (a Pod scheduled over a second ago is past it at once), so a Failed Pod whose container never ran counts too
    extras.keepWhenDeleted = true;
  }
  return new CachedPod(job, extras, {
    namespace: meta.namespace,
    resourceVersion: meta.resourceVersion,
    isoTimes: true,
  });
}
