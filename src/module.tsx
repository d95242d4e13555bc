import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { loadResources } from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './components/AppConfig/AppConfig';
import { PLUGIN_ID } from './constants';
import type { AppSettings } from './services/settings';

// Anything imported here lands in module.js, which Grafana fetches before it can show any page of the app or its
// settings. So pages and the config page are lazy chunks, fetched only when opened; keep other imports type-only.
// Scenes translates its own texts through the copy of @grafana/i18n bundled with the plugin, which warns on every
// t() until initialised; as in create-plugin's scenes-app template (grafana/plugin-tools,
// packages/create-plugin/templates/scenes-app/src/module.tsx), Scenes' strings go under the plugin's namespace.
// Scenes declares no side effects, so only loadResources (and one locale chunk, fetched here) reach this module.
await initPluginTranslations(PLUGIN_ID, [loadResources]);
const LazyApp = lazy(() => import('./components/App/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

const App = (props: AppRootProps<AppSettings>) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
