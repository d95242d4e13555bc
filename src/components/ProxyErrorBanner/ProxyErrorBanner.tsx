import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import type { ApiError } from '../../api/client';
import { CONFIG_PAGE_URL } from '../../constants';
import { describeProxyError, type ProxyAction } from '../../services/proxyErrors';
import { testIds } from '../testIds';

export function ProxyErrorBanner({ error, action }: { error: ApiError; action?: ProxyAction }) {
  const problem = describeProxyError(error, action);
  return (
    <Alert severity={problem.setup ? 'error' : 'warning'} title={problem.title} data-testid={testIds.proxyError.banner}>
      <p>{problem.detail}</p>
      {problem.link && (
        <LinkButton
          href={problem.link.href}
          icon="list-ul"
          variant="secondary"
          size="sm"
          data-testid={testIds.proxyError.link}
        >
          {problem.link.text}
        </LinkButton>
      )}
      {problem.setup && (
        <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="secondary" size="sm">
          Open the configuration page
        </LinkButton>
      )}
    </Alert>
  );
}
