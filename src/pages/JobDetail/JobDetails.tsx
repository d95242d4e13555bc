import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, locationUtil } from '@grafana/data';
import { ClipboardButton, LinkButton, useStyles2 } from '@grafana/ui';
import type { Job, ParamsSchema } from '../../api/types';
import { testIds } from '../../components/testIds';
import { useTemplates } from '../../hooks/useTemplates';
import { formatResources, paramRows } from '../../services/jobDisplay';
import { logsDashboardUrl } from './logsDashboardUrl';

/**
 * Where the job runs (Pod, namespace, node, image, resources) and what it was launched with; without `placement`
 * (its Pod is gone, and the history does not record where it ran) only what it was launched with.
 */
export function JobDetails({ job, placement = true }: { job: Job; placement?: boolean }) {
  const styles = useStyles2(getStyles);
  const { templates } = useTemplates();
  const schema: ParamsSchema | undefined = templates.find((t) => t.id === job.template)?.params;
  const rows = paramRows(job.params, schema);
  const copy = (text: string, label: string) => (
    <ClipboardButton
      getText={() => text}
      icon="copy"
      variant="secondary"
      fill="text"
      size="sm"
      aria-label={`Copy ${label}`}
      data-testid={testIds.jobDetail.copy(label)}
    />
  );
  return (
    <div className={styles.columns}>
      {placement && (
        <section data-testid={testIds.jobDetail.placement}>
          <h4 className={styles.heading}>Pod</h4>
          <dl className={styles.list}>
            <dt>Job id</dt>
            <dd>
              <code>{job.id}</code>
              {copy(job.id, 'job id')}
            </dd>
            {/* The Pod is named after the job; both are shown because kubectl wants the one and the API the other. */}
            <dt>Pod</dt>
            <dd>
              <code>{job.id}</code>
              {copy(job.id, 'Pod name')}
            </dd>
            <dt>Namespace</dt>
            <dd>{job.namespace ?? '–'}</dd>
            <dt>Node</dt>
            <dd>{job.node ?? 'not scheduled yet'}</dd>
            <dt>Image</dt>
            <dd>
              <code className={styles.breakable}>{job.image ?? '–'}</code>
            </dd>
            <dt>Resources</dt>
            <dd>{formatResources(job.resources)}</dd>
          </dl>
          <LinkButton
            href={locationUtil.assureBaseUrl(logsDashboardUrl(job))}
            icon="apps"
            variant="secondary"
            size="sm"
            data-testid={testIds.jobDetail.logsDashboard}
          >
            Job logs dashboard
          </LinkButton>
        </section>
      )}
      <section data-testid={testIds.jobDetail.params}>
        <h4 className={styles.heading}>Parameters</h4>
        {rows.length === 0 ? (
          <p className={styles.muted}>None: the template’s defaults were used.</p>
        ) : (
          <dl className={styles.list}>
            {rows.map((row) => (
              <React.Fragment key={row.name}>
                <dt title={row.name}>{row.title}</dt>
                <dd>
                  <code className={styles.breakable}>{row.value}</code>
                </dd>
              </React.Fragment>
            ))}
          </dl>
        )}
      </section>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    gap: theme.spacing(3),
  }),
  muted: css({ color: theme.colors.text.secondary }),
  heading: css({ marginBottom: theme.spacing(1) }),
  breakable: css({ wordBreak: 'break-all' }),
  list: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(0, 0, 1),
    '& dt': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular },
    '& dd': { margin: 0, display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), minWidth: 0 },
  }),
});
