// Stands in for Grafana's page chrome (set through setPluginPage as Grafana does): the title, subtitle and tabs of
// `pageNav`, the actions, then the page body.
import type { PluginPageProps } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { GrafanaTheme2, NavModelItem } from '@grafana/data';
import React from 'react';
import { Link } from 'react-router-dom';

export function PreviewPluginPage({ pageNav, subTitle, actions, children }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const tabs: NavModelItem[] = pageNav?.children ?? [];
  return (
    <div className={styles.page} data-testid="preview-plugin-page">
      {pageNav?.text && <h1>{pageNav.text}</h1>}
      {(subTitle ?? pageNav?.subTitle) && <div className={styles.subTitle}>{subTitle ?? pageNav?.subTitle}</div>}
      {actions && <div className={styles.actions}>{actions}</div>}
      {tabs.length > 0 && (
        <nav className={styles.tabs}>
          {tabs.map((tab) => (
            <Link key={tab.url ?? tab.text} to={tab.url ?? '#'} aria-current={tab.active ? 'page' : undefined}>
              {tab.text}
            </Link>
          ))}
        </nav>
      )}
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3) }),
  subTitle: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) }),
  actions: css({ display: 'flex', gap: theme.spacing(1), marginBottom: theme.spacing(2) }),
  tabs: css({ display: 'flex', gap: theme.spacing(2), marginBottom: theme.spacing(2) }),
});
