import { PanelPlugin } from '@grafana/data';
import { LauncherPanel } from './components/LauncherPanel';
import { EditableParamsEditor, PresetParamsEditor, TemplateEditor } from './components/OptionEditors';
import { DEFAULT_BUTTON_LABEL, DEFAULT_SHOW_RECENT, type LauncherOptions } from './types';

const templateChosen = (options: LauncherOptions) => Boolean(options.templateId);

export const plugin = new PanelPlugin<LauncherOptions>(LauncherPanel).setPanelOptions((builder) =>
  builder
    .addCustomEditor({
      id: 'templateId',
      path: 'templateId',
      name: 'Template',
      description: 'The catalog template this panel launches.',
      editor: TemplateEditor,
    })
    .addCustomEditor({
      id: 'presetParams',
      path: 'presetParams',
      name: 'Preset parameters',
      description: 'Values sent with every launch. Dashboard variables ($var) are replaced when the button is pressed.',
      editor: PresetParamsEditor,
      defaultValue: {},
      showIf: templateChosen,
    })
    .addCustomEditor({
      id: 'editableParams',
      path: 'editableParams',
      name: 'Parameters the viewer may change',
      description: 'Shown as a form above the button, starting from the presets.',
      editor: EditableParamsEditor,
      defaultValue: [],
      showIf: templateChosen,
    })
    .addTextInput({ path: 'buttonLabel', name: 'Button label', defaultValue: DEFAULT_BUTTON_LABEL })
    .addTextInput({
      path: 'confirmMessage',
      name: 'Confirmation message',
      description: 'When set, asked in a dialog before launching. Dashboard variables allowed.',
      settings: { useTextarea: true, rows: 2 },
    })
    .addNumberInput({
      path: 'showRecent',
      name: 'Recent jobs shown',
      description: 'How many of the jobs launched from this panel (in this browser) to list with their live phase.',
      defaultValue: DEFAULT_SHOW_RECENT,
      settings: { min: 0, max: 20, integer: true },
    })
);
