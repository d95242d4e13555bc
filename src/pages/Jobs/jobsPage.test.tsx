import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { LocationServiceProvider, locationService } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { configure, render, screen } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { liveProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { installLoki, lokiLogFrame } from '../../testing/lokiFrames';
import { signInAs } from '../../testing/signInAs';
import { jobsPage } from './jobsPage';

configure({ asyncUtilTimeout: 10000 });
jest.setTimeout(30000);

/** The Jobs page as App.tsx mounts it: under Grafana's router, below the app's base URL. */
function renderAt(path: string) {
  const app = new SceneApp({ pages: [jobsPage({ lokiDatasourceUid: 'flowkube-loki' })] });
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

beforeEach(() => {
  signInAs('Viewer');
  global.fetch = jest.fn(() => new Promise<Response>(() => {}));
  liveProxy([job({ id: 'basic-aaaaa', phase: 'Running' })]);
  installLoki('flowkube-loki', () => ({ frames: [lokiLogFrame([])] }));
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
});
