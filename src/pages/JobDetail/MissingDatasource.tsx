import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';

/** Said instead of an empty panel, so an admin knows which setting turns the panel on. */
export function MissingDatasource({ kind, shows }: { kind: string; shows: string }) {
  return (
    <Alert severity="info" title={`No ${kind} data source configured`}>
      <p>
        Choose a {kind} data source on the configuration page to see the job&apos;s {shows} here.
      </p>
      <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="secondary" size="sm">
        Open the configuration page
      </LinkButton>
    </Alert>
  );
}
