import { GLOBAL_LIMIT, templateLimit } from '../contract/limits.ts';
import { isActive } from '../contract/phases.ts';
import type { CatalogTemplate } from '../catalog/schema.ts';
import { type HttpError, retryLater } from '../http-error.ts';
import type { JobStore } from './job-store.ts';
import { GLOBAL_SCOPE, parseSlots, type Slot, type SlotScope, type SlotSemaphore, templateScope } from './slots.ts';

/** What a client is told to wait after a limit said no. */
export const LIMIT_RETRY_SECONDS = 10;
/** How long a created Pod still counts locally if the watch never shows it (it normally does in ms). */
const RESERVATION_TTL_MS = 30_000;

interface Deps {
  store: JobStore;
  slots: SlotSemaphore;
  /** FLOWKUBE_MAX_ACTIVE */
  maxActive: number;
}

/**
 * The launch limits: FLOWKUBE_MAX_ACTIVE and each template's maxConcurrent. The slot Leases make them exact
 * across replicas; this replica's own view (the cache plus launches it has created but not seen yet) only refuses
 * early, without a call to Kubernetes, when that view alone is already full.
 */
export class Admission {
  private readonly deps: Deps;
  /** Pod name → template id of launches this replica created that the cache has not shown yet. */
  private readonly reserved = new Map<string, string>();
  /** Slots of the Pods the cache has seen active, by Pod name, until the Pod ends. */
  private readonly held = new Map<string, Slot[]>();
  /** The tail of this replica's claims, which run one at a time. */
  private claims: Promise<unknown> = Promise.resolve();

  constructor(deps: Deps) {
    this.deps = deps;
    const { store } = deps;
    // every replica sees every Pod end, and each tries the release: the uid precondition makes the extra ones no-ops
    store.onChange((prev, next) => {
      if (next) {
        this.reserved.delete(next.id);
        const slots = parseSlots(next.slots);
        if (next.active && slots.length > 0) {
          this.held.set(next.id, slots);
          return;
        }
      }
      const id = (next ?? prev)!.id;
      const slots = this.held.get(id);
      if (slots) {
        this.held.delete(id);
        void deps.slots.release(slots);
      }
    });
  }

  /** The limits a template's launch must fit in, narrowest first. */
  scopes(template: CatalogTemplate): SlotScope[] {
    const scopes: SlotScope[] = [];
    if (template.maxConcurrent !== undefined) {
      scopes.push({ scope: templateScope(template.id), limit: template.maxConcurrent });
    }
    scopes.push({ scope: GLOBAL_SCOPE, limit: this.deps.maxActive });
    return scopes;
  }

  /** Refuses at once when this replica already sees the limit reached. */
  precheck(template: CatalogTemplate): void {
    for (const scope of this.scopes(template)) {
      const only = scope.scope === GLOBAL_SCOPE ? undefined : template.id;
      if (this.activeCount(only) >= scope.limit) {
        throw this.limitError(template, scope);
      }
    }
  }

  /**
   * One slot of every scope for the Pod `holder`, counted locally from then on (see `reserve`), or the 429 of the
   * first scope that is full. This replica's claims run one at a time: a burst of launches then costs one list
   * and one create per admitted launch, and the rest are refused by the local view without a call, instead of
   * every launch racing every other for every slot.
   */
  claim(template: CatalogTemplate, holder: string, signal: AbortSignal): Promise<Slot[]> {
    const run = this.claims.then(async () => {
      // a launch that gave up while it waited in line claims nothing
      signal.throwIfAborted();
      this.precheck(template);
      const result = await this.deps.slots.claim(this.scopes(template), holder);
      if ('full' in result) {
        throw this.limitError(template, result.full);
      }
      if (signal.aborted) {
        await this.deps.slots.release(result.slots);
        signal.throwIfAborted();
      }
      this.reserve(holder, template.id);
      return result.slots;
    });
    this.claims = run.catch(() => undefined);
    // the caller stops waiting at once; its turn in the line then ends at the check above
    return new Promise<Slot[]>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(
        (slots) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) {
            // claimed just as the caller gave up: nobody will create the Pod
            this.unreserve(holder);
            void this.deps.slots.release(slots);
          }
          resolve(slots);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        }
      );
    });
  }

  release(slots: Slot[]): Promise<void> {
    return this.deps.slots.release(slots);
  }

  /** Counts the Pod locally from its claim until the cache shows it. */
  private reserve(name: string, template: string): void {
    this.reserved.set(name, template);
    setTimeout(() => this.reserved.delete(name), RESERVATION_TTL_MS).unref();
  }

  unreserve(name: string): void {
    this.reserved.delete(name);
  }

  private activeCount(template?: string): number {
    const { store } = this.deps;
    let n = store.active(template);
    for (const [name, t] of this.reserved) {
      if ((template === undefined || t === template) && !store.get(name)) {
        n += 1;
      }
    }
    return n;
  }

  private limitError(template: CatalogTemplate, scope: SlotScope): HttpError {
    if (scope.scope === GLOBAL_SCOPE) {
      return retryLater(
        429,
        'limit_exceeded',
        `FLOWKUBE_MAX_ACTIVE=${scope.limit} jobs are already active; wait for one to finish or cancel one`,
        LIMIT_RETRY_SECONDS,
        { limit: GLOBAL_LIMIT, rejectReason: 'global_limit' }
      );
    }
    return retryLater(
      429,
      'limit_exceeded',
      `template "${template.id}" allows at most ${scope.limit} concurrent jobs; wait for one to finish or cancel one`,
      LIMIT_RETRY_SECONDS,
      { limit: templateLimit(template.id), rejectReason: 'template_limit' }
    );
  }
}
