import { createHash } from 'node:crypto';
import { type CachedJson, cachedJson } from '../cached-json.ts';
import { ChangeWaiters } from '../change-waiters.ts';
import type { TemplateView } from '../schemas/index.ts';
import type { Problem } from './checks.ts';
import type { SourceTemplate } from './configmap-source.ts';
import { type ConfigMapSource, mergeSources, type SourceReport } from './merge.ts';
import type { Catalog, CatalogTemplate } from './schema.ts';
import { templateView } from './view.ts';

const hashes = new WeakMap<CatalogTemplate, string>();

/** Identifies a template's content: a ConfigMap re-read with the same text gives the same hash, so no new dry run. */
export function templateHash(t: CatalogTemplate): string {
  let h = hashes.get(t);
  if (h === undefined) {
    h = createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 16);
    hashes.set(t, h);
  }
  return h;
}

export interface CatalogReport {
  /** The ConfigMaps have been listed at least once since start. */
  synced: boolean;
  revision: number;
  sources: SourceReport[];
}

/**
 * The catalog as it is now: the file (fixed at start) and the watched ConfigMaps, merged again on every change.
 * Requests read the merged result and the cached views; nothing here calls Kubernetes.
 */
export class LiveCatalog implements Catalog {
  readonly file: string;
  private readonly base: Catalog;
  private readonly configMaps = new Map<string, ConfigMapSource>();
  /** Cluster check verdicts by template id, for the content hash they were made on. */
  private readonly checks = new Map<string, { hash: string; problem?: Problem }>();
  private merged: ReturnType<typeof mergeSources>;
  private cachedViews: TemplateView[] | undefined;
  private cachedBody: CachedJson | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new ChangeWaiters();
  revision = 1;
  synced = false;

  constructor(base: Catalog) {
    this.file = base.file;
    this.base = base;
    this.merged = mergeSources(base, []);
  }

  get templates(): CatalogTemplate[] {
    return this.merged.templates;
  }

  get byId(): Map<string, CatalogTemplate> {
    return this.merged.byId;
  }

  /** Why launching this template is refused (the cluster refused its Pod in a dry run), if it is. */
  refusal(id: string): string | undefined {
    const t = this.byId.get(id);
    const check = this.checks.get(id);
    return t && check?.problem && check.hash === templateHash(t) ? check.problem.message : undefined;
  }

  views(): TemplateView[] {
    this.cachedViews ??= this.templates.map((t) => templateView(t, this.refusal(t.id)));
    return this.cachedViews;
  }

  /** `{items: views()}` as JSON bytes, gzip and ETag, made once per change: GET /templates then costs no walk. */
  viewsBody(): CachedJson {
    this.cachedBody ??= cachedJson({ items: this.views() });
    return this.cachedBody;
  }

  report(): CatalogReport {
    return { synced: this.synced, revision: this.revision, sources: this.merged.sources };
  }

  setConfigMap(name: string, templates: SourceTemplate[]): void {
    this.configMaps.set(name, { name, templates });
    this.rebuild();
  }

  removeConfigMap(name: string): void {
    if (this.configMaps.delete(name)) {
      this.rebuild();
    }
  }

  markSynced(): void {
    if (!this.synced) {
      this.synced = true;
      this.rebuild();
    }
  }

  /** Records a cluster check; ignored when the template changed meanwhile (its own check is already queued). */
  setClusterCheck(id: string, hash: string, problem: Problem | undefined): void {
    const t = this.byId.get(id);
    if (!t || templateHash(t) !== hash) {
      return;
    }
    const before = this.checks.get(id);
    this.checks.set(id, { hash, ...(problem ? { problem } : {}) });
    if (before?.hash !== hash || before?.problem?.message !== problem?.message) {
      this.rebuild();
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves on the next change, after `ms`, or when `signal` aborts, whichever is first. */
  waitForChange(ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(ms, signal);
  }

  private rebuild(): void {
    this.merged = mergeSources(this.base, [...this.configMaps.values()], (t) => {
      const check = this.checks.get(t.id);
      return check?.problem && check.hash === templateHash(t) ? check.problem : undefined;
    });
    for (const id of this.checks.keys()) {
      if (!this.byId.has(id)) {
        this.checks.delete(id);
      }
    }
    this.cachedViews = undefined;
    this.cachedBody = undefined;
    this.revision += 1;
    this.waiters.wake();
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}
