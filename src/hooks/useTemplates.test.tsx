import { renderHook, waitFor } from '@testing-library/react';
import { LiveJobsStore } from '../services/liveJobs';
import { FakeProxy, heldChanges } from '../testing/fakeProxy';
import { basicTemplate } from '../testing/fixtures';
import { useTemplates } from './useTemplates';

describe('useTemplates', () => {
  it('re-reads the catalog when /changes reports a new catalogRevision, without a reload', async () => {
    let templates = [basicTemplate];
    const fake = new FakeProxy()
      .on('GET', 'api/v1/templates', () => ({ status: 200, data: { items: templates } }))
      .install();
    const { polls, answerPoll } = heldChanges(fake, {
      status: 200,
      data: { cursor: 'c0', items: [], removed: [], catalogRevision: 1 },
    });
    const store = new LiveJobsStore(() => Promise.resolve());
    const { result, unmount } = renderHook(() => useTemplates(store));
    await waitFor(() => expect(result.current.templates.map((t) => t.id)).toEqual(['basic']));
    await waitFor(() => expect(polls.length).toBe(1));
    // the poll carries the revision the page has, so the proxy answers at once when the catalog moved on
    expect(fake.calls('GET', 'api/v1/changes').at(-1)?.params?.catalogRevision).toBe(1);

    templates = [basicTemplate, { ...basicTemplate, id: 'from-configmap', title: 'From a ConfigMap' }];
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: [], catalogRevision: 2 } });
    await waitFor(() => expect(result.current.templates.map((t) => t.id)).toEqual(['basic', 'from-configmap']));
    unmount();
  });
});
