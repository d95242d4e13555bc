import { renderHook, waitFor } from '@testing-library/react';
import { LiveJobsStore } from '../services/liveJobs';
import { FakeProxy, heldChanges } from '../testing/fakeProxy';
import { schedule } from '../testing/fixtures';
import { useSchedules } from './useSchedules';

/** A proxy whose long-polls stay open until the test answers them; /schedules answers the current `items`. */
function setup() {
  let items = [schedule()];
  const fake = new FakeProxy().on('GET', 'api/v1/schedules', () => ({ status: 200, data: { items } })).install();
  const { answerPoll } = heldChanges(fake, {
    status: 200,
    data: { cursor: 'c0', items: [], removed: [], schedulesRevision: 3 },
  });
  return { fake, answerPoll, setItems: (next: typeof items) => (items = next) };
}

describe('useSchedules', () => {
  it('re-reads /schedules when the long-poll reports a moved schedulesRevision, and only then', async () => {
    const { fake, answerPoll, setItems } = setup();
    const store = new LiveJobsStore(() => Promise.resolve());
    const { result } = renderHook(() => useSchedules(store));
    await waitFor(() => expect(result.current.schedules.map((s) => s.id)).toEqual(['basic-nightly']));
    const lists = () => fake.calls('GET', 'api/v1/schedules').length;
    const before = lists();

    // a job changed, no schedule did: no re-read
    await answerPoll({ status: 200, data: { cursor: 'c1', items: [], removed: ['x'], schedulesRevision: 3 } });
    // a schedule was created elsewhere
    setItems([schedule(), schedule({ id: 'basic-hourly' })]);
    await answerPoll({ status: 200, data: { cursor: 'c2', items: [], removed: [], schedulesRevision: 4 } });

    await waitFor(() => expect(result.current.schedules.map((s) => s.id)).toEqual(['basic-nightly', 'basic-hourly']));
    expect(lists()).toBe(before + 1);
    // each poll asks about schedules after the revision it has, so a change in between is answered at once
    const since = fake.calls('GET', 'api/v1/changes').map((r) => r.params?.schedulesSince);
    expect(since.slice(0, 4)).toEqual([undefined, 3, 3, 4]);
  });
});
