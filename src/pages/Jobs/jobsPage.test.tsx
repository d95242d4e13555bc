import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { render, screen } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { liveProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { installLoki, lokiLogFrame } from '../../testing/lokiFrames';
import { signInAs } from '../../testing/signInAs';
import { jobsPage } from './jobsPage';

/** The Jobs page as App.tsx mounts it: under Grafana's router, below the app's base URL. */
function renderAt(path: string) {
  const app = new SceneApp({
    pages: [jobsPage({ lokiDatasourceUid: 'flowkube-loki' })],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
  return render(
    <LocationServiceProvider service={locationService}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="*" element={<app.Component model={app} />} />
        </Routes>
      </MemoryRouter>
    </LocationServiceProvider>
  );
}

let loki: ReturnType<typeof installLoki>;
beforeEach(() => {
  signInAs('Viewer');
  global.fetch = jest.fn(() => new Promise<Response>(() => {}));
  liveProxy([job({ id: 'basic-aaaaa', phase: 'Running' })]);
  loki = installLoki('flowkube-loki', () => ({ frames: [lokiLogFrame([])] }));
});

describe('Jobs page', () => {
  it('opens the Live tab at its own URL', async () => {
    renderAt('/jobs');
    expect(await screen.findByTestId(testIds.jobs.container)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.history.container)).not.toBeInTheDocument();
  });

  it('opens the History tab under jobs/history, not as the page of a job named "history"', async () => {
    renderAt('/jobs/history');
    expect(await screen.findByTestId(testIds.history.container)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.jobs.container)).not.toBeInTheDocument();
  });

  it('still opens a job’s page under jobs/<id>', async () => {
    renderAt('/jobs/basic-aaaaa');
    expect(await screen.findByTestId(testIds.jobDetail.container)).toBeInTheDocument();
  });

  it('takes the History range from the URL, so a shared link shows the same jobs', async () => {
    // Scenes reads the URL through Grafana's locationService, which the router in Grafana follows
    locationService.push('/jobs/history?from=now-7d&to=now');
    renderAt('/jobs/history?from=now-7d&to=now');
    await screen.findByTestId(testIds.history.empty);
    // synced before the scene first queries: no wasted 24 h query first
    expect(loki.requests).toHaveLength(1);
    const [request] = loki.requests;
    expect(request.range.raw).toEqual({ from: 'now-7d', to: 'now' });
    expect(request.range.to.valueOf() - request.range.from.valueOf()).toBe(7 * 86_400_000);
  });
});
