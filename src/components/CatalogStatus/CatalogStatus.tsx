import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Stack, useStyles2 } from '@grafana/ui';
import { type ApiError, getCatalog } from '../../api/client';
import type { CatalogStatus as Status } from '../../api/types';
import { testIds } from '../testIds';

type Source = Status['sources'][number];

function sourceTitle(s: Source): string {
  return s.kind === 'file' ? `File ${s.name}` : `ConfigMap ${s.name}`;
}

/**
 * The catalog's state for Admins: every source (the file, each ConfigMap) with its templates, and for each broken
 * one what is wrong, field by field, as GET /api/v1/catalog reports it (with the saved settings).
 */
export function CatalogStatus() {
  const s = useStyles2(getStyles);
  const [status, setStatus] = useState<Status>();
  const [error, setError] = useState<ApiError>();
  // asked for, not loaded with the page: the settings form must work while the proxy is unreachable or unconfigured
  const load = () => {
    getCatalog().then(
      (next) => {
        setStatus(next);
        setError(undefined);
      },
      (err: ApiError) => setError(err)
    );
  };

  return (
    <div data-testid={testIds.appConfig.catalog}>
      {error && (
        <Alert severity="error" title="The catalog state could not be read">
          {error.message}
        </Alert>
      )}
      {status && !status.synced && (
        <Alert severity="info" title="ConfigMaps not listed yet">
          Only the file&apos;s templates are known until the proxy has listed the catalog ConfigMaps.
        </Alert>
      )}
      {status?.sources.map((source) => {
        const broken = source.templates.filter((t) => !t.ok);
        const good = source.templates.filter((t) => t.ok).map((t) => t.id);
        return (
          <div key={`${source.kind}/${source.name}`} className={s.source}>
            <h5>
              {sourceTitle(source)}: {good.length} ready{broken.length > 0 ? `, ${broken.length} with problems` : ''}
            </h5>
            {good.length > 0 && <p className={s.ids}>{good.join(', ')}</p>}
            {broken.map((t) => (
              <Alert key={`${t.key ?? ''}/${t.id}`} severity="warning" title={`${t.id}${t.key ? ` (${t.key})` : ''}`}>
                <ul className={s.problems}>
                  {t.problems.map((p) => (
                    <li key={`${p.field} ${p.message}`}>
                      {p.field && <code>{p.field}</code>} {p.message}
                    </li>
                  ))}
                </ul>
              </Alert>
            ))}
          </div>
        );
      })}
      <Stack>
        <Button
          type="button"
          variant="secondary"
          icon="sync"
          onClick={load}
          data-testid={testIds.appConfig.catalogRefresh}
        >
          {status ? 'Refresh' : 'Show the catalog'}
        </Button>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  source: css({ marginBottom: theme.spacing(2) }),
  ids: css({ color: theme.colors.text.secondary }),
  problems: css({ margin: 0, paddingLeft: theme.spacing(2), overflowWrap: 'anywhere' }),
});
