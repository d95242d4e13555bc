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
    .addBooleanSwitch({
      path: 'showValues',
      name: 'Show the values sent',
      description:
        'Shows Editors the template and every value a launch sends, defaults included. When off, the button asks first and shows them in the dialog.',
      defaultValue: true,
    })
    .addTextInput({
      path: 'confirmMessage',
      name: 'Confirmation message',
      description:
        'When set, asked in a dialog before launching (with the values too, if they are not shown). Dashboard variables allowed.',
      settings: { useTextarea: true, rows: 2 },
    })
    .addNumberInput({
      path: 'showRecent',
      name: 'Recent jobs shown',
      description:
        'How many of the jobs launched from this panel (from any browser, as the proxy records them) to list with their live phase, with a link to all of them on the Jobs page.',
      defaultValue: DEFAULT_SHOW_RECENT,
      settings: { min: 0, max: 20, integer: true },
    })
);
