import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import type { ApiError } from '../../api/client';
import { CONFIG_PAGE_URL } from '../../constants';
import { testIds } from '../testIds';
import { describeProxyError } from './describeProxyError';

export function ProxyErrorBanner({ error }: { error: ApiError }) {
  const problem = describeProxyError(error);
  return (
    <Alert severity={problem.setup ? 'error' : 'warning'} title={problem.title} data-testid={testIds.proxyError.banner}>
      <p>{problem.detail}</p>
      {problem.setup && (
        <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="secondary" size="sm">
          Open the configuration page
        </LinkButton>
      )}
    </Alert>
  );
}
