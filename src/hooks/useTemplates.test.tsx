import { act, renderHook, waitFor } from '@testing-library/react';
import { LiveJobsStore } from '../services/liveJobs';
import { deferred, type FakeAnswer } from '../testing/fakeBackendSrv';
import { FakeProxy, startsLoop } from '../testing/fakeProxy';
import { basicTemplate } from '../testing/fixtures';
import { useTemplates } from './useTemplates';

describe('useTemplates', () => {
  it('re-reads the catalog when /changes reports a new catalogRevision, without a reload', async () => {
    const polls: Array<ReturnType<typeof deferred<FakeAnswer>>> = [];
    let templates = [basicTemplate];
    const fake = new FakeProxy()
      .on('GET', 'api/v1/changes', (request) => {
        if (startsLoop(request)) {
          return { status: 200, data: { cursor: 'c0', items: [], removed: [], catalogRevision: 1 } };
        }
        const poll = deferred<FakeAnswer>();
        polls.push(poll);
        return poll.promise;
      })
      .on('GET', 'api/v1/templates', () => ({ status: 200, data: { items: templates } }))
      .install();
    const store = new LiveJobsStore(() => Promise.resolve());
    const { result, unmount } = renderHook(() => useTemplates(store));
    await waitFor(() => expect(result.current.templates.map((t) => t.id)).toEqual(['basic']));
    await waitFor(() => expect(polls.length).toBe(1));
    // the poll carries the revision the page has, so the proxy answers at once when the catalog moved on
    expect(fake.calls('GET', 'api/v1/changes').at(-1)?.params?.catalogRevision).toBe(1);

    templates = [basicTemplate, { ...basicTemplate, id: 'from-configmap', title: 'From a ConfigMap' }];
    await act(async () =>
      polls.shift()!.resolve({ status: 200, data: { cursor: 'c1', items: [], removed: [], catalogRevision: 2 } })
    );
    await waitFor(() => expect(result.current.templates.map((t) => t.id)).toEqual(['basic', 'from-configmap']));
    unmount();
  });
});
