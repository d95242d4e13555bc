// A one-panel dashboard for the app's nested panel plugin, rendered with the props Grafana's PanelRenderer gives a
// panel: options (the saved ones over the plugin's defaults, from ?options=<json>), an empty data frame list, a
// time range, and replaceVariables over the dashboard variables of the URL (?var-<name>=<value>, as Grafana does).
import {
  EventBusSrv,
  LoadingState,
  getDefaultTimeRange,
  standardEditorsRegistry,
  type PanelPlugin,
} from '@grafana/data';
import { PanelChrome } from '@grafana/ui';
import React, { useMemo } from 'react';

const WIDTH = 640;

// Grafana fills this registry at boot with its option editors (they live in Grafana, not in the packages); a
// panel's options builder looks its standard editors up by id. The preview shows no panel editor, so empty
// editors under the same ids are enough to build the options and their defaults.
const editorIds = [
  'boolean',
  'color',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'unit',
];
standardEditorsRegistry.setInit(() => editorIds.map((id) => ({ id, name: id, description: '', editor: () => null })));
const HEIGHT = 420;

export function dashboardVariables(search: string): Record<string, string> {
  const entries = [...new URLSearchParams(search)].filter(([key]) => key.startsWith('var-'));
  return Object.fromEntries(entries.map(([key, value]) => [key.slice('var-'.length), value]));
}

/** Grafana's `$name` and `${name}` syntax; unknown variables stay as written, as in Grafana. */
export function replaceVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const value = variables[(braced ?? bare)!];
    return value === undefined ? whole : value;
  });
}

export function PanelPreview({ plugin, search }: { plugin: PanelPlugin; search: string }) {
  const query = new URLSearchParams(search);
  const title = query.get('title') ?? 'Launcher';
  const options = useMemo(
    () => ({ ...plugin.defaults, ...JSON.parse(query.get('options') ?? '{}') }),
    // The URL is the saved dashboard: read once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [plugin]
  );
  const variables = useMemo(() => dashboardVariables(search), [search]);
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const timeRange = useMemo(() => getDefaultTimeRange(), []);
  const Panel = plugin.panel!;
  return (
    <div style={{ padding: 24 }} data-testid="preview-dashboard">
      <PanelChrome title={title} width={WIDTH} height={HEIGHT}>
        {(width, height) => (
          <Panel
            id={1}
            title={title}
            data={{ state: LoadingState.Done, series: [], timeRange }}
            timeRange={timeRange}
            timeZone="utc"
            options={options}
            fieldConfig={{ defaults: {}, overrides: [] }}
            transparent={false}
            width={width}
            height={height}
            renderCounter={0}
            eventBus={eventBus}
            onOptionsChange={() => undefined}
            onFieldConfigChange={() => undefined}
            onChangeTimeRange={() => undefined}
            replaceVariables={(text: string) => replaceVariables(text, variables)}
          />
        )}
      </PanelChrome>
    </div>
  );
}
