import type { ParamValues } from '../../api/types';

export interface LauncherOptions {
  templateId?: string;
  /**
   * Values set by the dashboard's editor. Strings may hold dashboard variables ($var); a number param's preset is
   * kept as text so it can hold one too, and is parsed after interpolation.
   */
  presetParams: ParamValues;
  /** Params the viewer may change at launch time; the others are fixed by the presets (or the template default). */
  editableParams: string[];
  buttonLabel: string;
  /**
   * Whether Editors see the template and values a launch sends, above the button (default true). When off, a launch
   * always asks first, showing them in the dialog, unless every value is in the form.
   */
  showValues?: boolean;
  confirmMessage?: string;
  /** How many of the jobs this panel launched to list under the button. */
  showRecent: number;
}

export const DEFAULT_BUTTON_LABEL = 'Launch';
export const DEFAULT_SHOW_RECENT = 5;
