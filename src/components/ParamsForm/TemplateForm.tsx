import React, { type ReactNode, useEffect, useRef } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import type { ApiError } from '../../api/client';
import type { ParamValues, TemplateView } from '../../api/types';
import { unplacedFieldErrors } from '../../services/params';
import { describeProxyError } from '../../services/proxyErrors';
import type { LaunchPermission } from '../../utils/permissions';
import { ProxyErrorBanner } from '../ProxyErrorBanner/ProxyErrorBanner';
import { ParamsForm } from './ParamsForm';

interface Props {
  title: string;
  template: TemplateView;
  values: ParamValues;
  onChange: (values: ParamValues) => void;
  /** The form's own check of `values` (validateParams); it always shows. */
  invalid: Record<string, string>;
  /** The proxy's last refusal and the fields it named; they stand until the person edits the form. */
  refused: { error?: ApiError; fieldErrors: Record<string, string> };
  /** Inputs besides the parameters that show their own field error (a schedule's `schedule`, `timeZone`). */
  otherFields?: string[];
  disabled: boolean;
  permission: LaunchPermission;
  /** The title and test id of the note that says why the person may not submit. */
  permissionNote: { title: string; testId: string };
  onSubmit: (event: React.FormEvent) => void;
  /**
   * Each new value other than 0 (and a value other than 0 on mount) moves focus to the first field, or to the heading
   * when there is none: the person chose this form and goes on there.
   */
  focusRequest?: number;
  testId?: string;
  /** Inputs after the parameters. */
  children?: ReactNode;
  /** The submit button, and any other. */
  actions: ReactNode;
}

/**
 * A template's generated parameter form inside a form that submits it to the proxy: the Launch form and the
 * Schedule form. A 400 that names fields shows each message next to its field; only what no field can show
 * (the request as a whole, a parameter the form no longer has) goes into an alert, and any other refusal into the
 * proxy error banner. After a refusal, focus goes to the first field in error, or else to what says why.
 */
export function TemplateForm(props: Props) {
  const { title, template, values, onChange, invalid, refused, disabled, permission, permissionNote } = props;
  const styles = useStyles2(getStyles);
  const fields = [...Object.keys(template.params.properties), ...(props.otherFields ?? [])];
  const unplaced = unplacedFieldErrors(refused.fieldErrors, fields);
  const named = Object.keys(refused.fieldErrors).length > 0;
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const refusal = useRef<HTMLDivElement>(null);
  const focusedRefusal = useRef<ApiError>();

  useEffect(() => {
    if (props.focusRequest && form.current) {
      (controls(form.current).find((c) => !c.disabled) ?? heading.current)?.focus();
    }
  }, [props.focusRequest]);

  useEffect(() => {
    // A refusal can arrive while the form is still disabled for the request (its switches and menus cannot take
    // focus yet): focus once the form is enabled, once per refusal.
    if (refused.error && refused.error !== focusedRefusal.current && !disabled && form.current) {
      focusedRefusal.current = refused.error;
      (firstFieldInError(form.current, refusal.current) ?? refusal.current)?.focus();
    }
  }, [refused.error, disabled]);

  return (
    <form ref={form} className={styles.form} onSubmit={props.onSubmit} aria-label={title} data-testid={props.testId}>
      <h3 ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <ParamsForm
        schema={template.params}
        values={values}
        onChange={onChange}
        errors={{ ...refused.fieldErrors, ...invalid }}
        disabled={disabled}
      />
      {props.children}
      {refused.error && (
        // focusable, so that focus can land on the reason when no field shows it
        <div ref={refusal} tabIndex={-1}>
          {named ? (
            <Alert severity="error" title={describeProxyError(refused.error, 'launch').title}>
              {unplaced.length > 0 ? unplaced.join('; ') : 'See the fields marked above.'}
            </Alert>
          ) : (
            <ProxyErrorBanner error={refused.error} action="launch" />
          )}
        </div>
      )}
      {!permission.allowed && (
        <Alert severity="info" title={permissionNote.title} data-testid={permissionNote.testId}>
          {permission.reason}
        </Alert>
      )}
      {props.actions}
    </form>
  );
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controls(form: HTMLFormElement): Control[] {
  return Array.from(form.querySelectorAll<Control>('input:not([type="hidden"]), select, textarea'));
}

/**
 * The control of the first field that shows an error. Grafana's Field shows its message (role "alert", from
 * FieldValidationMessage) right after its control, and the fields come before the refusal, so the first alert in the
 * form, unless it is the refusal itself, follows the control in error.
 */
function firstFieldInError(form: HTMLFormElement, refusal: HTMLElement | null): HTMLElement | undefined {
  const message = form.querySelector('[role="alert"]');
  if (!message || refusal?.contains(message)) {
    return undefined;
  }
  const before = controls(form).filter((c) => c.compareDocumentPosition(message) & Node.DOCUMENT_POSITION_FOLLOWING);
  return before[before.length - 1];
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    maxWidth: theme.breakpoints.values.md,
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
});
