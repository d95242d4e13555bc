// Grafana's side menu entries for the app: plugin.json `includes` pages with addToNav, hidden below their `role`.
// Links navigate in-app (history push), as Grafana's menu does, so pages stay mounted in one document.
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { Link } from 'react-router-dom';

const rank: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

interface Include {
  type: string;
  name: string;
  path?: string;
  role?: string;
  addToNav?: boolean;
}

export function NavMenu({ meta }: { meta: AppPluginMeta }) {
  const styles = useStyles2(getStyles);
  const role = config.bootData.user.orgRole;
  const pages = ((meta.includes ?? []) as Include[]).filter(
    (include) =>
      include.type === 'page' && include.addToNav && include.path && rank[role] >= (rank[include.role ?? ''] ?? 0)
  );
  return (
    <nav className={styles.nav} aria-label="App navigation" data-testid="preview-nav">
      <div className={styles.title}>{meta.name}</div>
      {pages.map((page) => (
        <Link key={page.path} to={page.path!} className={styles.link}>
          {page.name}
        </Link>
      ))}
      <div className={styles.user}>
        {config.bootData.user.login} · {role}
      </div>
    </nav>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  nav: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    width: 200,
    flexShrink: 0,
    padding: theme.spacing(2),
    borderRight: `1px solid ${theme.colors.border.weak}`,
    background: theme.colors.background.primary,
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
  link: css({ color: theme.colors.text.link }),
  user: css({ marginTop: 'auto', color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
