import React from 'react';
import { Combobox, type ComboboxOption } from '@grafana/ui';

interface Props {
  testId: string;
  label: string;
  /** What an empty choice means: "All templates", "Anyone". */
  placeholder: string;
  options: Array<ComboboxOption<string>>;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

/** One optional filter of a jobs list (template, schedule, user), as the live list and the history both show it. */
export function FilterCombobox({ testId, label, placeholder, options, value, onChange }: Props) {
  return (
    <div data-testid={testId}>
      <Combobox
        aria-label={label}
        placeholder={placeholder}
        width={24}
        isClearable
        options={options}
        value={value ?? null}
        onChange={(option) => onChange(option?.value)}
      />
    </div>
  );
}
