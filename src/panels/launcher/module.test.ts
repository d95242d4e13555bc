import { PanelOptionsEditorBuilder, standardEditorsRegistry } from '@grafana/data';
import { plugin } from './module';
import pluginJson from './plugin.json';
import type { LauncherOptions } from './types';

// Grafana fills this registry with its built-in option editors at start-up; the builder looks them up by id.
standardEditorsRegistry.setInit(() =>
  ['text', 'number', 'boolean'].map((id) => ({ id, name: id, editor: () => null }))
);

describe('launcher panel plugin', () => {
  const builder = new PanelOptionsEditorBuilder<LauncherOptions>();
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  const items = Object.fromEntries(builder.getItems().map((item) => [item.path, item]));

  it('offers every option the panel reads, with its default', () => {
    expect(Object.keys(items)).toEqual([
      'templateId',
      'presetParams',
      'editableParams',
      'buttonLabel',
      'showValues',
      'confirmMessage',
      'showRecent',
    ]);
    expect(items.buttonLabel.defaultValue).toBe('Launch');
    expect(items.showValues.defaultValue).toBe(true);
    expect(items.showRecent.defaultValue).toBe(5);
    expect(items.presetParams.defaultValue).toEqual({});
    expect(items.editableParams.defaultValue).toEqual([]);
  });

  it('shows the param editors only once a template is chosen', () => {
    const base: LauncherOptions = { presetParams: {}, editableParams: [], buttonLabel: 'Launch', showRecent: 5 };
    expect(items.presetParams.showIf?.(base, undefined)).toBe(false);
    expect(items.editableParams.showIf?.({ ...base, templateId: 'basic' }, undefined)).toBe(true);
  });

  it('tells Grafana it runs no queries, so the panel editor offers no Query tab the panel would ignore', () => {
    // Grafana's panel editor hides the query tab when the plugin meta says skipDataQuery (PanelEditor's tabs).
    expect(pluginJson.skipDataQuery).toBe(true);
  });
});
