import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, useStyles2 } from '@grafana/ui';
import { type ApiError, saveAppSettings } from '../../api/client';
import { explainProxyError } from '../../services/proxyErrors';
import type { AppSettings } from '../../services/settings';
import { testIds } from '../testIds';
import { CatalogStatus } from '../CatalogStatus/CatalogStatus';
import { type ConnectionResult, runConnectionTest } from './connectionTest';
import { initialSettingsForm, settingsFormErrors, settingsPayload, type TokenName } from './settingsForm';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/** The app's configuration page (Admin): where the proxy is, its tokens, and the data sources the pages query. */
export function AppConfig({ plugin }: AppConfigProps) {
  const s = useStyles2(getStyles);
  const [form, setForm] = useState(() => initialSettingsForm(plugin.meta));
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectionResult>();
  const errors = settingsFormErrors(form);
  const canSave = Object.keys(errors).length === 0 && !saving;

  const update = (change: Partial<typeof form>) => {
    setForm((f) => ({ ...f, ...change }));
    setDirty(true);
  };
  const setToken = (name: TokenName, token: { value: string; configured: boolean }) =>
    update({ tokens: { ...form.tokens, [name]: token } });

  const onSave = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      await saveAppSettings(settingsPayload(plugin.meta, form));
      // Grafana hands settings to the app only when it loads, so the pages see the change after a reload.
      window.location.reload();
    } catch (err) {
      // The client's calls reject with nothing but an ApiError.
      setSaveError(explainProxyError(err as ApiError, 'settings'));
      setSaving(false);
    }
  };

  const onTest = async () => {
    setTesting(true);
    setResult(undefined);
    setResult(await runConnectionTest());
    setTesting(false);
  };

  const tokenField = (name: TokenName, label: string, description: string) => (
    <Field label={label} description={description} invalid={dirty && Boolean(errors[name])} error={errors[name]}>
      <SecretInput
        id={`flowkube-${name}`}
        data-testid={testIds.appConfig[name]}
        width={60}
        autoComplete="off"
        value={form.tokens[name].value}
        isConfigured={form.tokens[name].configured}
        placeholder="Paste the token"
        onChange={(e) => setToken(name, { value: e.currentTarget.value, configured: false })}
        onReset={() => setToken(name, { value: '', configured: false })}
      />
    </Field>
  );

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave) {
          onSave();
        }
      }}
    >
      <FieldSet label="FlowKube proxy">
        <Field
          label="Proxy URL"
          description="Where Grafana's server reaches the FlowKube proxy. Browsers never call it directly."
          required
          invalid={dirty && Boolean(errors.proxyUrl)}
          error={errors.proxyUrl}
        >
          <Input
            id="flowkube-proxy-url"
            data-testid={testIds.appConfig.proxyUrl}
            width={60}
            value={form.proxyUrl}
            placeholder="http://flowkube-proxy.flowkube-admin.svc:8080"
            onChange={(e) => update({ proxyUrl: e.currentTarget.value })}
          />
        </Field>
        {tokenField(
          'readToken',
          'Read token',
          'Sent by Grafana on reads (any Viewer). Stored encrypted; never shown again.'
        )}
        {tokenField(
          'launchToken',
          'Launch token',
          'Sent by Grafana when an Editor launches or cancels a job. Stored encrypted; never shown again.'
        )}
      </FieldSet>

      <FieldSet label="Data sources" className={s.section}>
        <Field label="Loki" description="Job logs on the detail page. Without one, logs stream from the proxy.">
          <DataSourcePicker
            inputId="flowkube-loki"
            type="loki"
            noDefault
            width={60}
            current={form.lokiDatasourceUid ?? null}
            onChange={(ds) => update({ lokiDatasourceUid: ds.uid })}
            onClear={() => update({ lokiDatasourceUid: undefined })}
          />
        </Field>
        <Field label="Prometheus" description="CPU and memory of a job's Pod (cAdvisor series).">
          <DataSourcePicker
            inputId="flowkube-prometheus"
            type="prometheus"
            noDefault
            width={60}
            current={form.prometheusDatasourceUid ?? null}
            onChange={(ds) => update({ prometheusDatasourceUid: ds.uid })}
            onClear={() => update({ prometheusDatasourceUid: undefined })}
          />
        </Field>
      </FieldSet>

      {saveError && (
        <Alert severity="error" title="Settings were not saved">
          {saveError}
        </Alert>
      )}
      <Stack gap={1}>
        <Button type="submit" data-testid={testIds.appConfig.save} disabled={!canSave}>
          {saving ? 'Saving…' : 'Save settings'}
        </Button>
        <Button
          type="button"
          variant="secondary"
          data-testid={testIds.appConfig.testConnection}
          disabled={testing}
          onClick={onTest}
        >
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
      </Stack>
      {dirty && <p className={s.hint}>Test connection uses the saved settings: save first to test your changes.</p>}
      {result && (
        <div className={s.section} data-testid={testIds.appConfig.testResult}>
          {result.ok ? (
            <Alert severity="success" title="Connected">
              healthz, readyz and templates passed: the proxy serves {result.templates}{' '}
              {result.templates === 1 ? 'template' : 'templates'}.
            </Alert>
          ) : (
            <Alert severity="error" title={`Connection test failed at ${result.step}`}>
              {result.message}
            </Alert>
          )}
        </div>
      )}

      <FieldSet label="Catalog" className={s.section}>
        <CatalogStatus />
      </FieldSet>
    </form>
  );
}

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginTop: theme.spacing(3) }),
  hint: css({ marginTop: theme.spacing(1), color: theme.colors.text.secondary }),
});
