import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppPluginMeta, type AppRootProps, type PluginConfigPageProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppSettings } from './services/settings';

// Anything imported here lands in module.js, which Grafana loads on every page of every user, FlowKube or not.
// So pages and the config page are lazy chunks, fetched only when someone opens them; keep imports here type-only.
const LazyApp = lazy(() => import('./components/App/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

const App = (props: AppRootProps<AppSettings>) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: PluginConfigPageProps<AppPluginMeta<AppSettings>>) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyAppConfig {...(props as React.ComponentProps<typeof LazyAppConfig>)} />
  </Suspense>
);

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
