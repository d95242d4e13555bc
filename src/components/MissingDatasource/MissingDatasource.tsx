import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';

interface Props {
  kind: string;
  /** What the data source would show, as the end of "to see … here". */
  shows: string;
  title?: string;
}

/** Said instead of an empty panel, so an admin knows which setting turns the panel on. */
export function MissingDatasource({ kind, shows, title = `No ${kind} data source configured` }: Props) {
  return (
    <Alert severity="info" title={title}>
      <p>
        Choose a {kind} data source on the configuration page to see {shows} here.
      </p>
      <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="secondary" size="sm">
        Open the configuration page
      </LinkButton>
    </Alert>
  );
}
