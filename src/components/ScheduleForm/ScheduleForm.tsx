import React, { useId, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import type { ConcurrencyPolicy, ParamValues, Schedule, TemplateView } from '../../api/types';
import { useSaveSchedule } from '../../hooks/useSaveSchedule';
import { validateParams } from '../../services/params';
import {
  browserTimeZone,
  CONCURRENCY_HELP,
  CONCURRENCY_POLICIES,
  formatInZone,
  previewCron,
} from '../../services/schedules';
import { schedulePermission } from '../../utils/permissions';
import { fieldError } from '../ParamsForm/fieldError';
import { TemplateForm } from '../ParamsForm/TemplateForm';
import { testIds } from '../testIds';

interface Props {
  template: TemplateView;
  /** The schedule being edited; without it the form creates one. */
  schedule?: Schedule;
  /** Values to start a new schedule from (what the Launch form holds). */
  prefill?: ParamValues;
  onSaved: (schedule: Schedule) => void;
  onCancel?: () => void;
  /** As TemplateForm's: each new value moves focus into the form (Launch's "Schedule…"). */
  focusRequest?: number;
}

const POLICY_OPTIONS = CONCURRENCY_POLICIES.map((p) => ({ label: p, value: p, description: CONCURRENCY_HELP[p] }));

/** The template's generated parameter form plus when to run it; the same form creates and edits. */
export function ScheduleForm({ template, schedule, prefill, onSaved, onCancel, focusRequest }: Props) {
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

  const ids = useId();
  const cronField = fieldError(`${ids}-cron`, preview.errors.schedule ?? fieldErrors.schedule);
  const zoneField = fieldError(`${ids}-zone`, preview.errors.timeZone ?? fieldErrors.timeZone);
  const disabled = saving || !permission.allowed;
  const title = schedule ? `Edit schedule ${schedule.id}` : `Schedule ${template.title}`;
  return (
    <TemplateForm
      title={title}
      template={template}
      values={values}
      onChange={(next) => edited(() => setValues(next))}
      invalid={invalidParams}
      refused={{ error, fieldErrors }}
      otherFields={['schedule', 'timeZone']}
      disabled={disabled}
      permission={permission}
      permissionNote={{ title: 'Scheduling is disabled', testId: testIds.schedules.permission }}
      onSubmit={onSubmit}
      focusRequest={focusRequest}
      testId={testIds.scheduleForm.container}
      actions={
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
      }
    >
      <Field
        label="Cron"
        description="Five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly"
        invalid={Boolean(cronField.message)}
        error={cronField.message}
        htmlFor={`${ids}-cron`}
      >
        <Input
          id={`${ids}-cron`}
          {...cronField.aria}
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
        invalid={Boolean(zoneField.message)}
        error={zoneField.message}
        htmlFor={`${ids}-zone`}
      >
        <Input
          id={`${ids}-zone`}
          {...zoneField.aria}
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
    </TemplateForm>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  preview: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(-1), marginBottom: theme.spacing(1) }),
  runs: css({ margin: 0, paddingLeft: theme.spacing(2.5) }),
});
