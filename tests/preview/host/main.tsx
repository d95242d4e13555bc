// The preview host: Grafana's runtime pieces around the BUILT plugin (dist/module.js), mounted the way Grafana
// mounts an app: the root page under /a/<id>/* with the plugin's meta in context, config pages under /plugins/<id>.
import {
  AppPlugin,
  PanelPlugin,
  PluginContextProvider,
  ThemeContext,
  type AppPluginMeta,
  type PanelPluginMeta,
} from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { config, LocationServiceProvider, locationService } from '@grafana/runtime';
import { GlobalStyles, PortalContainer } from '@grafana/ui';
import React, { useLayoutEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Routes, useLocation } from 'react-router';
// @ts-expect-error Grafana's own setter, not in the package's public exports (resolved by a webpack alias).
import { setPluginPage } from 'grafana-runtime-plugin-page';
import { loadAmdModule } from './amdLoader';
import { interceptLinkClicks } from './interceptLinkClicks';
import { NavMenu } from './NavMenu';
import { PanelPreview } from './PanelPreview';
import { PreviewPluginPage } from './PreviewPluginPage';
import { setUpRuntime } from './runtime';
import { Toasts } from './Toasts';

const PLUGIN_ID = 'flowkube-jobs-app';
/** A dashboard holding one launcher panel (the app's nested panel plugin). */
const PANEL_DASHBOARD = '/d/flowkube-launcher-preview';

function HistoryRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history as never}>
      {children}
    </Router>
  );
}

function AppRootPage({ plugin }: { plugin: AppPlugin }) {
  const location = useLocation();
  const Root = plugin.root!;
  const query = Object.fromEntries(new URLSearchParams(location.search));
  return (
    <PluginContextProvider meta={plugin.meta}>
      <Root
        meta={plugin.meta}
        basename={`/a/${PLUGIN_ID}`}
        path={location.pathname}
        query={query}
        onNavChanged={() => undefined}
      />
    </PluginContextProvider>
  );
}

function ConfigPages({ plugin }: { plugin: AppPlugin }) {
  const location = useLocation();
  const query = Object.fromEntries(new URLSearchParams(location.search));
  const page = plugin.configPages?.find((p) => p.id === query.page) ?? plugin.configPages?.[0];
  if (!page) {
    return <div data-testid="preview-error">The plugin has no configuration page.</div>;
  }
  const Body = page.body;
  return (
    <PluginContextProvider meta={plugin.meta}>
      <div style={{ padding: 24 }}>
        <h1>{page.title}</h1>
        <Body plugin={plugin} query={query} />
      </div>
    </PluginContextProvider>
  );
}

async function boot() {
  // Grafana initialises the shared i18next at boot (public/app/app.ts, initializeI18n) before any plugin loads, so
  // a plugin's own initPluginTranslations finds it set up. initializeI18n is not in the package's public exports;
  // the public call does the same for the host's copy of @grafana/i18n (the one Grafana UI's texts go through), so
  // those texts do not warn here as they would not in Grafana.
  await initPluginTranslations('grafana');
  setUpRuntime();
  const theme = config.theme2;
  setPluginPage(PreviewPluginPage);
  document.addEventListener('click', interceptLinkClicks);
  Object.assign(window, { __previewBootId: `${Date.now()}-${Math.random()}` });

  const root = createRoot(document.getElementById('root')!);
  try {
    if (window.location.pathname === PANEL_DASHBOARD) {
      const panelBase = `/public/plugins/${PLUGIN_ID}/panels/launcher`;
      const panelMeta = (await (await fetch(`${panelBase}/plugin.json`)).json()) as PanelPluginMeta;
      const panel = (await loadAmdModule(`${panelBase}/module.js`)).plugin as PanelPlugin;
      panel.meta = panelMeta;
      root.render(
        <ThemeContext.Provider value={theme}>
          <GlobalStyles />
          <LocationServiceProvider service={locationService}>
            <HistoryRouter>
              <PanelPreview plugin={panel} search={window.location.search} />
            </HistoryRouter>
          </LocationServiceProvider>
          <Toasts />
          <PortalContainer />
        </ThemeContext.Provider>
      );
      return;
    }
    const meta = (await (await fetch(`/api/plugins/${PLUGIN_ID}/settings`)).json()) as AppPluginMeta;
    const exports = await loadAmdModule(`/public/plugins/${PLUGIN_ID}/module.js`);
    const plugin = exports.plugin as AppPlugin;
    plugin.meta = meta;
    plugin.init(meta);
    root.render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <LocationServiceProvider service={locationService}>
          <HistoryRouter>
            <div style={{ display: 'flex', minHeight: '100vh' }}>
              <NavMenu meta={meta} />
              <main style={{ flexGrow: 1, minWidth: 0 }}>
                <Routes>
                  <Route path={`/a/${PLUGIN_ID}/*`} element={<AppRootPage plugin={plugin} />} />
                  <Route path={`/plugins/${PLUGIN_ID}`} element={<ConfigPages plugin={plugin} />} />
                </Routes>
              </main>
            </div>
          </HistoryRouter>
        </LocationServiceProvider>
        <Toasts />
        <PortalContainer />
      </ThemeContext.Provider>
    );
  } catch (err) {
    root.render(
      <pre data-testid="preview-error">{err instanceof Error ? (err.stack ?? err.message) : String(err)}</pre>
    );
  }
}

boot();
