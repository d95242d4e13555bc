import React from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, locationUtil, VariableHide } from '@grafana/data';
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
import { LogStream } from '../../components/LogStream/LogStream';
import { testIds } from '../../components/testIds';
import { exploreUrl } from '../../services/exploreUrl';
import { jobLogsExpr } from '../../services/jobQueries';
import { liveJobsStore } from '../../services/liveJobs';
import type { JobSource } from './jobSource';

/**
 * Which log the page shows: the proxy's stream while the proxy has the job, since only it follows the end and has
 * search, download and copy (issue 12 §3); Loki's once the proxy says the job is gone, since Loki then holds the only
 * copy. `waiting` until the proxy has answered, so a job it never had does not open a stream first.
 */
type LogsView = 'waiting' | 'proxy' | 'loki';

interface JobLogsState extends SceneObjectState {
  source: JobSource;
  /** Without a Loki data source the proxy's stream is the only log there is. */
  datasourceUid?: string;
  view: LogsView;
  /** Set once the job's template is known: the stream selector needs it. */
  expr?: string;
  panel?: VizPanel;
  /** Neither the proxy nor the history knows the job: there is no stream to select. */
  unknown?: boolean;
}

/**
 * The logs of one job: the proxy's stream while it has the job, then Loki's, switched in place when a job the page
 * follows goes away. With Loki configured, an "Open in Explore" link carries the job's query and level filter.
 */
export class JobLogsScene extends SceneObjectBase<JobLogsState> {
  // Re-render the Explore link when $level changes; the panel's query runner follows it on its own.
  protected _variableDependency = new VariableDependencyConfig(this, {
    statePaths: ['expr'],
    onReferencedVariableValueChanged: () => this.forceRender(),
  });

  constructor(state: Pick<JobLogsState, 'source' | 'datasourceUid'>) {
    super({ ...state, view: state.datasourceUid ? 'waiting' : 'proxy' });
    this.addActivationHandler(() => {
      this.update();
      return this.state.source.subscribe(() => this.update());
    });
  }

  private update(): void {
    const { source, datasourceUid, view, panel } = this.state;
    if (!datasourceUid) {
      return;
    }
    // JobSource reads the same store: the live job is this followed one.
    const followed = liveJobsStore.followed(source.id);
    // a job the proxy has let go of never comes back, so the switch to Loki is for good
    const next: LogsView = view === 'loki' || followed.removed ? 'loki' : followed.loading ? 'waiting' : 'proxy';
    // a job whose Pod is gone is known once its history is read, and its logs are still in Loki
    const job = source.job();
    const expr = this.state.expr ?? (job ? jobLogsExpr(job.template, job.id) : undefined);
    if (next === 'loki' && !panel && expr) {
      this.setState({ view: next, expr, panel: lokiPanel(datasourceUid, expr) });
    } else if (next !== view || expr !== this.state.expr) {
      this.setState({ view: next, expr });
    }
    if (next === 'loki' && !this.state.panel && !this.state.unknown) {
      const { state } = source.getHistory();
      if (state === 'missing' || state === 'failed') {
        this.setState({ unknown: true });
      }
    }
    this.showLevelPicker(this.state.panel !== undefined);
  }

  /** The page's $level picker filters the Loki query; the proxy's viewer has a level filter of its own. */
  private showLevelPicker(shown: boolean): void {
    const level = sceneGraph.lookupVariable('level', this);
    const hide = shown ? VariableHide.dontHide : VariableHide.hideVariable;
    if (level && level.state.hide !== hide) {
      level.setState({ hide });
    }
  }

  static Component = JobLogsRenderer;
}

function lokiPanel(uid: string, expr: string): VizPanel {
  const datasource = { type: 'loki', uid };
  // Options as the 12.4 logs panel declares them (grafana/grafana public/app/plugins/panel/logs/panelcfg.cue, in
  // @grafana/schema as raw/composable/logs/panelcfg; their effect in the panel's module.tsx).
  return (
    PanelBuilders.logs()
      .setTitle('Logs')
      .setOption('showTime', true)
      .setOption('wrapLogMessage', true)
      .setOption('sortOrder', 'Ascending' as never)
      // the new logs panel's controls: jump to the first or last line, and filter by level
      .setOption('showControls', true)
      // a line's labels and parsed fields, one click away
      .setOption('enableLogDetails', true)
      // the old panel prettifies with JSON.stringify(JSON.parse(line)), which rounds a 19-digit seed
      // (public/app/features/logs/components/LogRowMessage.tsx): lines stay as the worker wrote them
      .setOption('prettifyLogMessage', false)
      .setData(new SceneQueryRunner({ datasource, queries: [{ refId: 'A', expr, datasource, maxLines: 5000 }] }))
      .build()
  );
}

function JobLogsRenderer({ model }: SceneComponentProps<JobLogsScene>) {
  const styles = useStyles2(getStyles);
  const { view, panel, expr, datasourceUid, unknown, source } = model.useState();
  const explore = datasourceUid && expr && (
    <div className={styles.actions}>
      <ExploreLink model={model} datasourceUid={datasourceUid} expr={expr} />
    </div>
  );
  if (view === 'proxy') {
    return (
      <div className={styles.container}>
        {explore}
        <LogStream id={source.id} />
      </div>
    );
  }
  if (unknown) {
    return null;
  }
  if (!panel) {
    return <LoadingPlaceholder text="Loading logs…" />;
  }
  return (
    <div className={styles.container}>
      {explore}
      <div className={styles.panel}>
        <panel.Component model={panel} />
      </div>
    </div>
  );
}

function ExploreLink({ model, datasourceUid, expr }: { model: JobLogsScene; datasourceUid: string; expr: string }) {
  const range = sceneGraph.getTimeRange(model).state.value.raw;
  const href = exploreUrl({
    datasource: { type: 'loki', uid: datasourceUid },
    expr: sceneGraph.interpolate(model, expr, undefined, 'regex'),
    from: urlTime(range.from),
    to: urlTime(range.to),
  });
  return (
    <LinkButton
      href={locationUtil.assureBaseUrl(href)}
      icon="compass"
      variant="secondary"
      size="sm"
      data-testid={testIds.jobDetail.explore}
    >
      Open in Explore
    </LinkButton>
  );
}

/** Relative times stay as typed (`now-1h`); an absolute one goes as epoch milliseconds, which Explore reads. */
const urlTime = (time: string | { valueOf(): number }) => (typeof time === 'string' ? time : String(time.valueOf()));

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), width: '100%', height: '100%' }),
  actions: css({ display: 'flex', justifyContent: 'flex-end' }),
  panel: css({ flexGrow: 1, minHeight: 360 }),
});
