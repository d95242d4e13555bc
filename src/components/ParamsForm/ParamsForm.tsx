import React, { useId } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Combobox, Field, Input, Stack, Switch, useStyles2 } from '@grafana/ui';
import type { ParamSchema, ParamsSchema, ParamValues } from '../../api/types';
import { type InputAria, useInputAria } from '../../hooks/useInputAria';
import { paramHint } from '../../services/params';
import { testIds } from '../testIds';
import { fieldError } from './fieldError';

export interface ParamsFormProps {
  schema: ParamsSchema;
  values: ParamValues;
  onChange: (values: ParamValues) => void;
  /** Keyed by param name. */
  errors: Record<string, string>;
  disabled?: boolean;
  /** Names that may be changed; the others are shown read-only. Undefined: all. */
  editable?: string[];
}

type ParamValue = ParamValues[string];

/** One field per template parameter, in the schema's order, generated from its JSON Schema. */
export function ParamsForm({ schema, values, onChange, errors, disabled, editable }: ParamsFormProps) {
  const idPrefix = useId();
  const required = new Set(schema.required ?? []);

  const setValue = (name: string, value: ParamValue | undefined) => {
    const next = { ...values };
    if (value === undefined) {
      // An emptied input means "not given" (the proxy applies the default), never 0 or "".
      delete next[name];
    } else {
      next[name] = value;
    }
    onChange(next);
  };

  return (
    <Stack direction="column" gap={0}>
      {Object.entries(schema.properties).map(([name, param]) => {
        const id = `${idPrefix}-${name}`;
        const readOnly = Boolean(disabled) || (editable !== undefined && !editable.includes(name));
        const hint = paramHint(param, required.has(name));
        const error = errors[name];
        const { message, aria } = fieldError(id, error, hint ? hintId(id) : undefined);
        return (
          <Field
            key={name}
            label={param.title ?? name}
            description={param.description}
            required={required.has(name)}
            invalid={Boolean(error)}
            error={message}
            htmlFor={id}
            data-testid={testIds.paramsForm.field(name)}
          >
            <ParamInput
              id={id}
              hint={hint}
              aria={aria}
              param={param}
              value={values[name]}
              readOnly={readOnly}
              invalid={Boolean(error)}
              onChange={(value) => setValue(name, value)}
            />
          </Field>
        );
      })}
    </Stack>
  );
}

interface ParamInputProps {
  id: string;
  /** What the field accepts (range, length, default); under the input, so the label stays the field's name. */
  hint: string;
  /** aria-invalid, and aria-describedby naming the error and the hint (fieldError). */
  aria: InputAria;
  param: ParamSchema;
  value: ParamValue | undefined;
  readOnly: boolean;
  invalid: boolean;
  onChange: (value: ParamValue | undefined) => void;
}

const hintId = (id: string) => `${id}-hint`;

function ParamInput({ hint, ...props }: ParamInputProps) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <ParamControl {...props} />
      {hint && (
        <div id={hintId(props.id)} className={styles.hint}>
          {hint}
        </div>
      )}
    </div>
  );
}

type ControlProps = Omit<ParamInputProps, 'hint'>;

function ParamControl(props: ControlProps) {
  const { id, aria, param, value, readOnly, invalid, onChange } = props;
  if (param.type === 'boolean') {
    return (
      <Switch
        id={id}
        {...aria}
        value={value === true}
        disabled={readOnly}
        invalid={invalid}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    );
  }
  if (param.enum) {
    return <EnumControl {...props} />;
  }
  if (param.type === 'integer' || param.type === 'number') {
    return (
      <Input
        id={id}
        {...aria}
        type="number"
        min={param.minimum}
        max={param.maximum}
        step={param.type === 'integer' ? 1 : 'any'}
        value={typeof value === 'number' ? value : ''}
        placeholder={defaultHint(param)}
        readOnly={readOnly}
        invalid={invalid}
        onChange={(e) => onChange(parseNumber(e.currentTarget.value))}
      />
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Input
      id={id}
      {...aria}
      type="text"
      // No maxLength attribute: the browser would cut a paste short without a word. The counter shows the length,
      // and validation (the proxy's own check) names the limit once it is passed.
      suffix={
        param.maxLength !== undefined ? (
          <span aria-live="polite" aria-label={`${text.length} of ${param.maxLength} characters`}>
            {text.length}/{param.maxLength}
          </span>
        ) : undefined
      }
      value={text}
      placeholder={defaultHint(param)}
      readOnly={readOnly}
      invalid={invalid}
      onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
    />
  );
}

/** A Combobox, which passes no aria-invalid or aria-describedby to its input: set on it here. */
function EnumControl({ id, aria, param, value, readOnly, invalid, onChange }: ControlProps) {
  useInputAria(id, aria);
  const options = (param.enum ?? []).map((option) => ({ label: String(option), value: option }));
  return (
    <Combobox<string | number>
      id={id}
      options={options}
      value={typeof value === 'string' || typeof value === 'number' ? value : null}
      disabled={readOnly}
      invalid={invalid}
      onChange={(option) => onChange(option.value)}
    />
  );
}

function parseNumber(text: string): number | undefined {
  // A number input reports '' both when empty and when what was typed is not a number.
  if (text.trim() === '') {
    return undefined;
  }
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/** An emptied field is sent as "not given", and the proxy then runs the default: say which. */
function defaultHint(param: ParamSchema): string | undefined {
  return param.default === undefined ? undefined : String(param.default);
}

const getStyles = (theme: GrafanaTheme2) => ({
  hint: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(0.5),
  }),
});
