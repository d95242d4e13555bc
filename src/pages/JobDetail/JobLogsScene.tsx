import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, locationUtil } from '@grafana/data';
import {
  PanelBuilders,
  SceneComponentProps,
  sceneGraph,
  SceneObjectBase,
  type SceneObjectState,
  SceneQueryRunner,
  VariableDependencyConfig,
  type VizPanel,
} from '@grafana/scenes';
import { LinkButton, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { exploreUrl } from '../../services/exploreUrl';
import { jobLogsExpr } from '../../services/jobQueries';
import type { JobSource } from './jobSource';

interface JobLogsState extends SceneObjectState {
  source: JobSource;
  datasourceUid: string;
  /** Set once the job's template is known: the stream selector needs it. */
  expr?: string;
  panel?: VizPanel;
  /** Neither the proxy nor the history knows the job: there is no stream to select. */
  unknown?: boolean;
}

/** Loki logs of one job, live or gone, with an "Open in Explore" link that carries the same query and level filter. */
export class JobLogsScene extends SceneObjectBase<JobLogsState> {
  // Re-render the Explore link when $level changes; the panel's query runner follows it on its own.
  protected _variableDependency = new VariableDependencyConfig(this, {
    statePaths: ['expr'],
    onReferencedVariableValueChanged: () => this.forceRender(),
  });

  constructor(state: JobLogsState) {
    super(state);
    this.addActivationHandler(() => {
      this.buildWhenTemplateKnown();
      return this.state.source.subscribe(() => this.buildWhenTemplateKnown());
    });
  }

  private buildWhenTemplateKnown(): void {
    // a job whose Pod is gone is known once its history is read, and its logs are still in Loki
    const job = this.state.source.job();
    if (!job || this.state.panel) {
      const { state } = this.state.source.getHistory();
      if (!job && (state === 'missing' || state === 'failed') && !this.state.unknown) {
        this.setState({ unknown: true });
      }
      return;
    }
    const datasource = { type: 'loki', uid: this.state.datasourceUid };
    const expr = jobLogsExpr(job.template, job.id);
    const panel = PanelBuilders.logs()
      .setTitle('Logs')
      .setOption('showTime', true)
      .setOption('wrapLogMessage', true)
      .setOption('sortOrder', 'Ascending' as never)
      .setData(new SceneQueryRunner({ datasource, queries: [{ refId: 'A', expr, datasource, maxLines: 5000 }] }))
      .build();
    this.setState({ expr, panel });
  }

  static Component = JobLogsRenderer;
}

function JobLogsRenderer({ model }: SceneComponentProps<JobLogsScene>) {
  const styles = useStyles2(getStyles);
  const { panel, expr, datasourceUid, unknown } = model.useState();
  if (unknown) {
    return null;
  }
  if (!panel || !expr) {
    return <LoadingPlaceholder text="Loading logs…" />;
  }
  const range = sceneGraph.getTimeRange(model).state.value.raw;
  const href = exploreUrl({
    datasource: { type: 'loki', uid: datasourceUid },
    expr: sceneGraph.interpolate(model, expr, undefined, 'regex'),
    from: urlTime(range.from),
    to: urlTime(range.to),
  });
  return (
    <div className={styles.container}>
      <div className={styles.actions}>
        <LinkButton
          href={locationUtil.assureBaseUrl(href)}
          icon="compass"
          variant="secondary"
          size="sm"
          data-testid={testIds.jobDetail.explore}
        >
          Open in Explore
        </LinkButton>
      </div>
      <div className={styles.panel}>
        <panel.Component model={panel} />
      </div>
    </div>
  );
}

/** Relative times stay as typed (`now-1h`); an absolute one goes as epoch milliseconds, which Explore reads. */
const urlTime = (time: string | { valueOf(): number }) => (typeof time === 'string' ? time : String(time.valueOf()));

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), width: '100%', height: '100%' }),
  actions: css({ display: 'flex', justifyContent: 'flex-end' }),
  panel: css({ flexGrow: 1, minHeight: 360 }),
});
