import React, { type ReactNode } from 'react';
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
 * proxy error banner.
 */
export function TemplateForm(props: Props) {
  const { title, template, values, onChange, invalid, refused, disabled, permission, permissionNote } = props;
  const styles = useStyles2(getStyles);
  const fields = [...Object.keys(template.params.properties), ...(props.otherFields ?? [])];
  const unplaced = unplacedFieldErrors(refused.fieldErrors, fields);
  const named = Object.keys(refused.fieldErrors).length > 0;
  return (
    <form className={styles.form} onSubmit={props.onSubmit} aria-label={title} data-testid={props.testId}>
      <h3>{title}</h3>
      <ParamsForm
        schema={template.params}
        values={values}
        onChange={onChange}
        errors={{ ...refused.fieldErrors, ...invalid }}
        disabled={disabled}
      />
      {props.children}
      {refused.error &&
        (named ? (
          <Alert severity="error" title={describeProxyError(refused.error, 'launch').title}>
            {unplaced.length > 0 ? unplaced.join('; ') : 'See the fields marked above.'}
          </Alert>
        ) : (
          <ProxyErrorBanner error={refused.error} action="launch" />
        ))}
      {!permission.allowed && (
        <Alert severity="info" title={permissionNote.title} data-testid={permissionNote.testId}>
          {permission.reason}
        </Alert>
      )}
      {props.actions}
    </form>
  );
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
