import React, { useMemo } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { SceneApp } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { jobsPage } from '../../pages/Jobs/jobsPage';
import { launchPage } from '../../pages/Launch/launchPage';
import { schedulesPage } from '../../pages/Schedules/schedulesPage';
import type { AppSettings } from '../../services/settings';
import { missingSetup } from '../../services/setup';
import { SetupFlowKube } from '../SetupFlowKube/SetupFlowKube';

/** Lists the pages and nothing else; each page lives in its own folder under src/pages. */
function App({ meta }: AppRootProps<AppSettings>) {
  // Grafana hands the app its settings (meta.jsonData) here; the pages get them as arguments rather than from a
  // module-level copy. Keyed by the values, so a re-render with an equal object keeps the scenes and their state.
  const { lokiDatasourceUid, prometheusDatasourceUid } = meta.jsonData ?? {};
  const scene = useMemo(
    () =>
      new SceneApp({
        pages: [launchPage(), jobsPage({ lokiDatasourceUid, prometheusDatasourceUid }), schedulesPage()],
        urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
      }),
    [lokiDatasourceUid, prometheusDatasourceUid]
  );
  const missing = missingSetup(meta);
  if (missing.length > 0) {
    // Every page would only fail its calls: each route shows the one set-up state instead, and nothing is requested.
    return (
      <PluginPage>
        <SetupFlowKube missing={missing} />
      </PluginPage>
    );
  }
  return (
    <Routes>
      <Route path="" element={<Navigate to={ROUTES.Launch} replace />} />
      <Route path="*" element={<scene.Component model={scene} />} />
    </Routes>
  );
}

export default App;
