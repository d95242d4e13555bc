import React, { useMemo, useState } from 'react';
import { locationService } from '@grafana/runtime';
import { Button } from '@grafana/ui';
import type { ParamValues, TemplateView } from '../../api/types';
import { TemplateForm } from '../../components/ParamsForm/TemplateForm';
import { validateParams } from '../../services/params';
import { testIds } from '../../components/testIds';
import { useLaunchJob } from '../../hooks/useLaunchJob';
import { launchPermission } from '../../utils/permissions';
import { jobUrl } from '../../utils/utils.routing';
import { initialValues } from './launchQuery';

interface Props {
  template: TemplateView;
  /** Values to start from (a re-run); the template's defaults fill the rest. */
  prefill?: ParamValues;
  /** See TemplateForm: moves focus into the form. */
  focusRequest?: number;
}

export function LaunchForm({ template, prefill, focusRequest }: Props) {
  const [values, setValues] = useState(() => initialValues(template.params, prefill));
  const { launch, launching, error, fieldErrors, reset } = useLaunchJob();
  const permission = launchPermission();
  const invalid = useMemo(() => validateParams(template.params, values), [template.params, values]);

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
    <TemplateForm
      title={`Launch ${template.title}`}
      template={template}
      values={values}
      onChange={onChange}
      invalid={invalid}
      refused={{ error, fieldErrors }}
      disabled={launching || !permission.allowed}
      permission={permission}
      permissionNote={{ title: 'Launching is disabled', testId: testIds.launch.permission }}
      onSubmit={onSubmit}
      focusRequest={focusRequest}
      actions={
        <Button
          type="submit"
          icon={launching ? 'spinner' : 'rocket'}
          disabled={!permission.allowed || launching || Object.keys(invalid).length > 0}
          tooltip={permission.reason}
          data-testid={testIds.launch.submit}
        >
          {launching ? 'Launching…' : 'Launch'}
        </Button>
      }
    />
  );
}
