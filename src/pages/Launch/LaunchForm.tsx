import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import type { ParamValues, TemplateView } from '../../api/types';
import { ParamsForm } from '../../components/ParamsForm/ParamsForm';
import { validateParams } from '../../services/params';
import { describeProxyError } from '../../services/proxyErrors';
import { ProxyErrorBanner } from '../../components/ProxyErrorBanner/ProxyErrorBanner';
import { testIds } from '../../components/testIds';
import { useLaunchJob } from '../../hooks/useLaunchJob';
import { launchPermission } from '../../utils/permissions';
import { jobUrl } from '../../utils/utils.routing';
import { initialValues } from './launchQuery';

interface Props {
  template: TemplateView;
  /** Values to start from (a re-run); the template's defaults fill the rest. */
  prefill?: ParamValues;
}

export function LaunchForm({ template, prefill }: Props) {
  const styles = useStyles2(getStyles);
  const [values, setValues] = useState(() => initialValues(template.params, prefill));
  const { launch, launching, error, fieldErrors, reset } = useLaunchJob();
  const permission = launchPermission();
  const invalid = useMemo(() => validateParams(template.params, values), [template.params, values]);
  // The proxy's verdict stands until the person edits the form; our own check always shows.
  const errors = { ...fieldErrors, ...invalid };
  const requestError = fieldErrors.template ?? fieldErrors.params;

  const onChange = (next: ParamValues) => {
    reset();
    setValues(next);
  };

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!permission.allowed || Object.keys(invalid).length > 0) {
      return;
    }
    const job = await launch(template.id, values);
    if (job) {
      locationService.push(jobUrl(job.id));
    }
  };

  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label={`Launch ${template.title}`}>
      <h3>{template.title}</h3>
      <ParamsForm
        schema={template.params}
        values={values}
        onChange={onChange}
        errors={errors}
        disabled={launching || !permission.allowed}
      />
      {error &&
        (requestError ? (
          <Alert severity="error" title={describeProxyError(error, 'launch').title}>
            {requestError}
          </Alert>
        ) : (
          <ProxyErrorBanner error={error} action="launch" />
        ))}
      {!permission.allowed && (
        <Alert severity="info" title="Launching is disabled" data-testid={testIds.launch.permission}>
          {permission.reason}
        </Alert>
      )}
      <Button
        type="submit"
        icon={launching ? 'spinner' : 'rocket'}
        disabled={!permission.allowed || launching || Object.keys(invalid).length > 0}
        tooltip={permission.reason}
        data-testid={testIds.launch.submit}
      >
        {launching ? 'Launching…' : 'Launch'}
      </Button>
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
