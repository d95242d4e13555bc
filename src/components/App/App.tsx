import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { SceneApp, useSceneApp } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { jobsPage } from '../../pages/Jobs/jobsPage';
import { launchPage } from '../../pages/Launch/launchPage';
import { type AppSettings, setAppSettings } from '../../services/settings';

function getSceneApp() {
  return new SceneApp({
    pages: [launchPage(), jobsPage()],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

function AppWithScenes() {
  const scene = useSceneApp(getSceneApp);
  return <scene.Component model={scene} />;
}

/** Lists the pages and nothing else; each page lives in its own folder under src/pages. */
function App(props: AppRootProps<AppSettings>) {
  setAppSettings(props.meta.jsonData);
  return (
    <Routes>
      <Route path="" element={<Navigate to={ROUTES.Launch} replace />} />
      <Route path="*" element={<AppWithScenes />} />
    </Routes>
  );
}

export default App;
