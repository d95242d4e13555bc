import React from 'react';
import { config } from '@grafana/runtime';
import { EmptyState, LinkButton, Text } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';
import { orgRoleIncludes } from '../../utils/permissions';
import { testIds } from '../testIds';

/**
 * What every page and the launcher panel show while the app is not configured (services/setup.ts), instead of the
 * failure each call would meet: what is missing and the way to the configuration page, which only an org Admin can
 * use. `compact` drops the picture, for a panel.
 */
export function SetupFlowKube({ missing, compact = false }: { missing: string[]; compact?: boolean }) {
  const admin = orgRoleIncludes(config.bootData.user.orgRole, 'Admin');
  return (
    <div data-testid={testIds.setup.container}>
      <EmptyState
        variant="call-to-action"
        message="Set up FlowKube"
        hideImage={compact}
        button={
          <LinkButton href={CONFIG_PAGE_URL} icon="cog" data-testid={testIds.setup.configLink}>
            Open the configuration page
          </LinkButton>
        }
      >
        <Text element="p">
          FlowKube needs its proxy URL and read token before it can list or launch jobs. On the configuration page:
        </Text>
        <ul>
          {missing.map((what) => (
            <li key={what}>{what}</li>
          ))}
        </ul>
        {!admin && (
          <Text element="p" color="secondary">
            Only an organization Admin can change the app&apos;s configuration: ask one to open this page.
          </Text>
        )}
      </EmptyState>
    </div>
  );
}
