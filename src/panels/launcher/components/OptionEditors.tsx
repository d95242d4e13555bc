import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { Alert, Combobox, LoadingPlaceholder, MultiCombobox } from '@grafana/ui';
import type { ParamValues, TemplateView } from '../../../api/types';
import { ParamsForm } from '../../../components/ParamsForm/ParamsForm';
import { validateParams } from '../../../services/params';
import { useTemplates } from '../../../hooks/useTemplates';
import { presetEditorSchema, resolvePresets } from '../presets';
import type { LauncherOptions } from '../types';

type EditorProps<T> = StandardEditorProps<T, unknown, LauncherOptions>;

/** The catalog for an option editor, with the one the panel's options name. */
function useChosenTemplate(options?: LauncherOptions): {
  templates: TemplateView[];
  template?: TemplateView;
  problem?: React.ReactNode;
} {
  const { templates, error, loading } = useTemplates();
  if (loading) {
    return { templates, problem: <LoadingPlaceholder text="Loading the catalog…" /> };
  }
  if (error) {
    return {
      templates,
      problem: (
        <Alert severity="error" title="The FlowKube catalog could not be loaded">
          {error.message}
        </Alert>
      ),
    };
  }
  return { templates, template: templates.find((t) => t.id === options?.templateId) };
}

export function TemplateEditor({ value, onChange, context }: EditorProps<string | undefined>) {
  const { templates, problem } = useChosenTemplate(context.options);
  if (problem) {
    return <>{problem}</>;
  }
  return (
    <Combobox
      id="flowkube-launcher-template"
      placeholder="Choose a template"
      options={templates.map((t) => ({ value: t.id, label: t.title, description: t.description }))}
      value={value ?? null}
      onChange={(option) => onChange(option.value)}
    />
  );
}

export function PresetParamsEditor({ value, onChange, context }: EditorProps<ParamValues | undefined>) {
  const { template, problem } = useChosenTemplate(context.options);
  if (problem || !template) {
    return <>{problem}</>;
  }
  const schema = presetEditorSchema(template.params);
  // Presets of a previously chosen template are not shown and are dropped on the next change.
  const presets = Object.fromEntries(Object.entries(value ?? {}).filter(([name]) => name in schema.properties));
  const { values, errors } = resolvePresets(template.params, presets, context.replaceVariables ?? ((text) => text));
  const checked = validateParams(template.params, values);
  // Only presets that are set are checked: an unset one falls back to the template default or the viewer.
  const shown = Object.fromEntries(
    Object.entries({ ...checked, ...errors }).filter(([name]) => presets[name] !== undefined)
  );
  return <ParamsForm schema={schema} values={presets} errors={shown} onChange={onChange} />;
}

export function EditableParamsEditor({ value, onChange, context }: EditorProps<string[] | undefined>) {
  const { template, problem } = useChosenTemplate(context.options);
  if (problem || !template) {
    return <>{problem}</>;
  }
  const options = Object.entries(template.params.properties).map(([name, param]) => ({
    value: name,
    label: param.title ? `${param.title} (${name})` : name,
  }));
  return (
    <MultiCombobox
      id="flowkube-launcher-editable"
      placeholder="None: every value is fixed"
      options={options}
      value={(value ?? []).filter((name) => name in template.params.properties)}
      onChange={(chosen) => onChange(chosen.map((option) => option.value))}
    />
  );
}
