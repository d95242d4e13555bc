import { after, before, beforeEach } from 'node:test';
import { startFakeKube, type FakeKube } from '../../../../../tests/fake-kube/index.ts';
import { loadCatalog } from '../../../../src/catalog/load.ts';
import type { Catalog } from '../../../../src/catalog/schema.ts';
import { DEFAULT_CATALOG } from '../../../../src/config.ts';
import { type BuildOptions, type Built, build, clearJobs } from '../../../helper.ts';

/**
 * The default catalog, except that cpu-load's Pods stay Pending (an image the fake does not run): the launch tests
 * need its maxConcurrent of 2, not two processes burning a CPU each on a shared machine.
 */
function quietCatalog(): Catalog {
  const catalog = loadCatalog(DEFAULT_CATALOG);
  const templates = catalog.templates.map((t) =>
    t.id === 'cpu-load' ? { ...t, image: 'example.com/flowkube/never-pulled:1' } : t
  );
  return { ...catalog, templates, byId: new Map(templates.map((t) => [t.id, t])) };
}

/**
 * One fake for the file; each test gets a fresh app (`app()`, or `track()` for one built by hand) and starts from no
 * FlowKube Pods and no slot Leases.
 */
export function launchFixture() {
  const state: { fake?: FakeKube; built?: Built } = {};
  const catalog = quietCatalog();
  before(async () => {
    state.fake = await startFakeKube({ startDelayMs: 50 });
  });
  beforeEach(async () => {
    await state.built?.close();
    state.built = undefined;
    await clearJobs(state.fake!);
  });
  after(async () => {
    await state.built?.close();
    await state.fake?.stop();
  });
  const fixture = {
    get fake(): FakeKube {
      return state.fake!;
    },
    /** Built on the file's fake; closed before the next test. */
    async track(options: Omit<BuildOptions, 'fake'> = {}): Promise<Built> {
      state.built = await build({ fake: state.fake!, catalog, ...options });
      return state.built;
    },
    /** Another replica on the same fake; the caller closes it. */
    replica: () => build({ fake: state.fake!, catalog }),
    async app(env: Record<string, string> = {}) {
      return (await fixture.track({ env })).app;
    },
  };
  return fixture;
}

export const KEY = { 'idempotency-key': 'launch-0001-abcdef' };
