import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Alert, Button, ConfirmModal, LoadingPlaceholder, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { withDefaults } from '@flowkube/backend-proxy/contract';
import type { ApiError } from '../../../api/client';
import type { Job, JobSource, ParamValues, TemplateView } from '../../../api/types';
import { ParamsForm } from '../../../components/ParamsForm/ParamsForm';
import { SetupFlowKube } from '../../../components/SetupFlowKube/SetupFlowKube';
import { defaultValues, validateParams } from '../../../services/params';
import { testIds } from '../../../components/testIds';
import { useAppSetup } from '../../../hooks/useAppSetup';
import { useLaunchJob } from '../../../hooks/useLaunchJob';
import { useRecentLaunches } from '../../../hooks/useRecentLaunches';
import { useTemplates } from '../../../hooks/useTemplates';
import { describeProxyError, explainProxyError } from '../../../services/proxyErrors';
import { launchPermission } from '../../../utils/permissions';
import { pickParams, resolvePresets } from '../presets';
import { panelSource } from '../recentLaunches';
import { DEFAULT_BUTTON_LABEL, DEFAULT_SHOW_RECENT, type LauncherOptions } from '../types';
import { LaunchValues } from './LaunchValues';
import { RecentJobs } from './RecentJobs';

export function LauncherPanel(props: PanelProps<LauncherOptions>) {
  const s = useStyles2(getStyles);
  const setup = useAppSetup();
  if (setup.loading || setup.missing.length > 0) {
    return (
      <div className={s.container} data-testid={testIds.launcherPanel.container}>
        {setup.loading ? <LoadingPlaceholder text="" /> : <SetupFlowKube missing={setup.missing} compact />}
      </div>
    );
  }
  return <ConfiguredPanel {...props} />;
}

function ConfiguredPanel({ id, title, options, replaceVariables }: PanelProps<LauncherOptions>) {
  const s = useStyles2(getStyles);
  const { templates, error, loading } = useTemplates();
  const source = panelSource(id, title, replaceVariables, window.location.pathname);
  const recent = useRecentLaunches(source, options.showRecent ?? DEFAULT_SHOW_RECENT);

  const body = (() => {
    if (!options.templateId) {
      return <Text color="secondary">Choose a template in the panel options.</Text>;
    }
    if (loading) {
      return <LoadingPlaceholder text="Loading the catalog…" />;
    }
    if (error) {
      return (
        <Alert severity="error" title="The FlowKube catalog could not be loaded">
          {explainProxyError(error)}
        </Alert>
      );
    }
    const template = templates.find((t) => t.id === options.templateId);
    if (!template) {
      return (
        <Alert severity="warning" title={`Template "${options.templateId}" is not in the catalog`}>
          The proxy&apos;s catalog no longer has it. Choose another template in the panel options.
        </Alert>
      );
    }
    return (
      <Launcher
        // A new template starts a fresh form: values typed for the old one do not carry over.
        key={template.id}
        template={template}
        options={options}
        replaceVariables={replaceVariables}
        source={source}
        onLaunched={recent.remember}
      />
    );
  })();

  return (
    <div className={s.container} data-testid={testIds.launcherPanel.container}>
      {body}
      {source && <RecentJobs jobs={recent.jobs} gone={recent.gone} source={source} error={recent.error} />}
    </div>
  );
}

interface LauncherProps {
  template: TemplateView;
  options: LauncherOptions;
  replaceVariables: (text: string) => string;
  source?: JobSource;
  onLaunched: (job: Job) => void;
}

function Launcher({ template, options, replaceVariables, source, onLaunched }: LauncherProps) {
  const permission = launchPermission();
  const { launch, launching, error, fieldErrors, reset } = useLaunchJob();
  const [confirming, setConfirming] = useState(false);
  const presets = resolvePresets(template.params, options.presetParams ?? {}, replaceVariables);
  const editable = (options.editableParams ?? []).filter((name) => name in template.params.properties);
  const editableSchema = pickParams(template.params, editable);
  const [edited, setEdited] = useState<ParamValues>();
  // Until the viewer edits, the editable fields show the presets (or the template defaults).
  const viewerValues = edited ?? pickValues({ ...defaultValues(editableSchema), ...presets.values }, editable);

  const values = { ...presets.values, ...viewerValues };
  const invalid = { ...validateParams(template.params, values), ...presets.errors };
  const presetErrors = Object.entries(invalid).filter(([name]) => !editable.includes(name));
  const inlineErrors = { ...pickErrors(invalid, editable), ...pickErrors(fieldErrors, editable) };
  const label = options.buttonLabel || DEFAULT_BUTTON_LABEL;
  const runWith = withDefaults(template.params, values);
  const valuesShown = options.showValues !== false;
  // With the values hidden, a launch would send what the person cannot see: the dialog shows them first.
  const hiddenValues = !valuesShown && Object.keys(runWith).some((name) => !editable.includes(name));
  const confirm = Boolean(options.confirmMessage) || hiddenValues;
  const summary = <LaunchValues template={template} runWith={runWith} sent={values} />;

  const doLaunch = async () => {
    setConfirming(false);
    const job = await launch(template.id, values, source);
    if (job) {
      onLaunched(job);
    }
  };

  return (
    <Stack direction="column" gap={1}>
      {editable.length > 0 && (
        <ParamsForm
          schema={editableSchema}
          values={viewerValues}
          errors={inlineErrors}
          onChange={(next) => {
            // The proxy's verdict was about the values just changed.
            reset();
            setEdited(next);
          }}
          disabled={!permission.allowed || launching}
        />
      )}
      {presetErrors.length > 0 && (
        <Alert severity="error" title="The panel's preset parameters are invalid">
          {presetErrors.map(([name, message]) => `${name}: ${message}`).join('; ')}. An editor must fix them in the
          panel options.
        </Alert>
      )}
      {valuesShown && permission.allowed && summary}
      {error && <LaunchError error={error} />}
      <div>
        <Button
          icon="rocket"
          data-testid={testIds.launcherPanel.launch}
          disabled={!permission.allowed || launching || Object.keys(invalid).length > 0}
          tooltip={permission.reason}
          onClick={() => (confirm ? setConfirming(true) : doLaunch())}
        >
          {launching ? 'Launching…' : label}
        </Button>
      </div>
      {permission.reason && <Text color="secondary">{permission.reason}</Text>}
      {confirm && (
        <ConfirmModal
          isOpen={confirming}
          title={`Launch ${template.title}?`}
          body={
            <Stack direction="column" gap={1}>
              {options.confirmMessage && <span>{replaceVariables(options.confirmMessage)}</span>}
              {hiddenValues && summary}
            </Stack>
          }
          confirmText={label}
          confirmButtonVariant="primary"
          onConfirm={doLaunch}
          onDismiss={() => setConfirming(false)}
        />
      )}
    </Stack>
  );
}

function pickValues(values: ParamValues, names: string[]): ParamValues {
  return Object.fromEntries(Object.entries(values).filter(([name]) => names.includes(name)));
}

function pickErrors(errors: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([name]) => names.includes(name)));
}

/** A refused launch, and for a limit the way to the jobs that fill it (cancelling one makes room). */
function LaunchError({ error }: { error: ApiError }) {
  const { link } = describeProxyError(error, 'launch');
  return (
    <Alert severity="error" title="Launch failed" data-testid={testIds.launcherPanel.error}>
      {explainProxyError(error, 'launch')}
      {link && (
        <div>
          <TextLink href={link.href} inline={false} data-testid={testIds.proxyError.link}>
            {link.text}
          </TextLink>
        </div>
      )}
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ height: '100%', overflow: 'auto', padding: theme.spacing(0.5) }),
});
