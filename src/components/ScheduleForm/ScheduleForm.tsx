import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import type { ConcurrencyPolicy, ParamValues, Schedule, TemplateView } from '../../api/types';
import { useSaveSchedule } from '../../hooks/useSaveSchedule';
import { validateParams } from '../../services/params';
import { describeProxyError } from '../../services/proxyErrors';
import {
  browserTimeZone,
  CONCURRENCY_HELP,
  CONCURRENCY_POLICIES,
  formatInZone,
  previewCron,
} from '../../services/schedules';
import { schedulePermission } from '../../utils/permissions';
import { ParamsForm } from '../ParamsForm/ParamsForm';
import { ProxyErrorBanner } from '../ProxyErrorBanner/ProxyErrorBanner';
import { testIds } from '../testIds';

interface Props {
  template: TemplateView;
  /** The schedule being edited; without it the form creates one. */
  schedule?: Schedule;
  /** Values to start a new schedule from (what the Launch form holds). */
  prefill?: ParamValues;
  onSaved: (schedule: Schedule) => void;
  onCancel?: () => void;
}

const POLICY_OPTIONS = CONCURRENCY_POLICIES.map((p) => ({ label: p, value: p, description: CONCURRENCY_HELP[p] }));

/** The template's generated parameter form plus when to run it; the same form creates and edits. */
export function ScheduleForm({ template, schedule, prefill, onSaved, onCancel }: Props) {
  const styles = useStyles2(getStyles);
  const [values, setValues] = useState<ParamValues>(() => ({ ...(schedule?.params ?? prefill ?? {}) }));
  const [cron, setCron] = useState(schedule?.schedule ?? '0 2 * * *');
  const [timeZone, setTimeZone] = useState(() => schedule?.timeZone ?? browserTimeZone());
  const [policy, setPolicy] = useState<ConcurrencyPolicy>(schedule?.concurrencyPolicy ?? 'Forbid');
  const { save, saving, error, fieldErrors, reset } = useSaveSchedule();
  const permission = schedulePermission();
  const viewerZone = useMemo(() => browserTimeZone(), []);

  const invalidParams = useMemo(() => validateParams(template.params, values), [template.params, values]);
  const preview = useMemo(() => previewCron(cron, timeZone, new Date()), [cron, timeZone]);
  const blocked = Object.keys(invalidParams).length > 0 || Object.keys(preview.errors).length > 0;
  const requestError = fieldErrors.template ?? fieldErrors.params;
  const edited = (apply: () => void) => {
    reset();
    apply();
  };

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!permission.allowed || blocked) {
      return;
    }
    const draft = { template: template.id, params: values, schedule: cron.trim(), timeZone, concurrencyPolicy: policy };
    const saved = await save(draft, schedule?.id);
    if (saved) {
      onSaved(saved);
    }
  };

  const disabled = saving || !permission.allowed;
  const title = schedule ? `Edit schedule ${schedule.id}` : `Schedule ${template.title}`;
  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label={title} data-testid={testIds.scheduleForm.container}>
      <h3>{title}</h3>
      <ParamsForm
        schema={template.params}
        values={values}
        onChange={(next) => edited(() => setValues(next))}
        errors={{ ...fieldErrors, ...invalidParams }}
        disabled={disabled}
      />
      <Field
        label="Cron"
        description="Five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly"
        invalid={Boolean(preview.errors.schedule ?? fieldErrors.schedule)}
        error={preview.errors.schedule ?? fieldErrors.schedule}
      >
        <Input
          value={cron}
          width={40}
          disabled={disabled}
          data-testid={testIds.scheduleForm.cron}
          onChange={(e) => {
            const next = e.currentTarget.value;
            edited(() => setCron(next));
          }}
        />
      </Field>
      {preview.description && (
        <div className={styles.preview}>
          <div data-testid={testIds.scheduleForm.description}>{preview.description}</div>
          <ol data-testid={testIds.scheduleForm.nextRuns} aria-label="Next runs" className={styles.runs}>
            {preview.next.map((at) => (
              <li key={at.getTime()}>
                {formatInZone(at, viewerZone)}
                {timeZone !== viewerZone && ` (${formatInZone(at, timeZone)})`}
              </li>
            ))}
          </ol>
        </div>
      )}
      <Field
        label="Time zone"
        description="The IANA zone the cron is read in, e.g. Europe/Berlin or UTC; daylight saving time is followed"
        invalid={Boolean(preview.errors.timeZone ?? fieldErrors.timeZone)}
        error={preview.errors.timeZone ?? fieldErrors.timeZone}
      >
        <Input
          value={timeZone}
          width={40}
          disabled={disabled}
          data-testid={testIds.scheduleForm.timeZone}
          onChange={(e) => {
            const next = e.currentTarget.value;
            edited(() => setTimeZone(next));
          }}
        />
      </Field>
      <Field label="When a run is due while the previous one still runs" description={CONCURRENCY_HELP[policy]}>
        <div data-testid={testIds.scheduleForm.concurrency}>
          <RadioButtonGroup<ConcurrencyPolicy>
            options={POLICY_OPTIONS}
            value={policy}
            disabled={disabled}
            onChange={(next) => edited(() => setPolicy(next))}
          />
        </div>
      </Field>
      {error &&
        (requestError ? (
          <Alert severity="error" title={describeProxyError(error, 'launch').title}>
            {requestError}
          </Alert>
        ) : (
          <ProxyErrorBanner error={error} action="launch" />
        ))}
      {!permission.allowed && (
        <Alert severity="info" title="Scheduling is disabled" data-testid={testIds.schedules.permission}>
          {permission.reason}
        </Alert>
      )}
      <Stack direction="row" gap={1}>
        <Button
          type="submit"
          icon={saving ? 'spinner' : 'clock-nine'}
          disabled={disabled || blocked}
          tooltip={permission.reason}
          data-testid={testIds.scheduleForm.submit}
        >
          {saving ? 'Saving…' : schedule ? 'Save schedule' : 'Create schedule'}
        </Button>
        {onCancel && (
          <Button variant="secondary" fill="outline" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </Stack>
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
  preview: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(-1), marginBottom: theme.spacing(1) }),
  runs: css({ margin: 0, paddingLeft: theme.spacing(2.5) }),
});
