import { dateTime, VariableHide } from '@grafana/data';
import {
  CustomVariable,
  EmbeddedScene,
  PanelBuilders,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  SceneRefreshPicker,
  sceneGraph,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
} from '@grafana/scenes';
import type { DatasourceSettings } from '../../services/settings';
import { JobLogsScene } from './JobLogsScene';
import { JobSource } from './jobSource';
import { JobSummary } from './JobSummary';
import { MissingDatasource } from '../../components/MissingDatasource/MissingDatasource';
import { jobTimeWindow } from '../../services/jobTimeWindow';
import { jobCpuExpr, jobMemoryExpr } from '../../services/jobQueries';

export function jobDetailScene(id: string, settings: DatasourceSettings): EmbeddedScene {
  const { lokiDatasourceUid, prometheusDatasourceUid } = settings;
  const source = new JobSource(id, lokiDatasourceUid);
  return new EmbeddedScene({
    // Until the job is known, an hour back covers any job (the proxy keeps them an hour after they end).
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $behaviors: [frameJob(source)],
    $variables: lokiDatasourceUid ? new SceneVariableSet({ variables: [levelVariable()] }) : undefined,
    controls: [
      ...(lokiDatasourceUid ? [new VariableValueSelectors({})] : []),
      new SceneControlsSpacer(),
      // The range drives the Loki query and the metrics; the proxy's log stream ignores it, so with neither data
      // source a time picker would do nothing (issue 12 §3).
      ...(lokiDatasourceUid || prometheusDatasourceUid ? [new SceneTimePicker({}), new SceneRefreshPicker({})] : []),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new SceneReactObject({ component: JobSummary, props: { id, source } }) }),
        new SceneFlexItem({
          minHeight: lokiDatasourceUid ? 420 : undefined,
          body: new JobLogsScene({ source, datasourceUid: lokiDatasourceUid }),
        }),
        metrics(id, prometheusDatasourceUid),
      ],
    }),
  });
}

/**
 * Once the job is known (live, or from its history once its Pod is gone), narrows the time range to its lifetime,
 * and closes it when the job finishes; a range the person (or the URL) chose is left alone.
 */
function frameJob(source: JobSource) {
  return (scene: EmbeddedScene) => {
    let applied = { from: 'now-1h', to: 'now' };
    const apply = () => {
      const job = source.job();
      const timeRange = sceneGraph.getTimeRange(scene);
      const untouched = timeRange.state.from === applied.from && timeRange.state.to === applied.to;
      if (!job || !untouched) {
        return;
      }
      const { from, to } = jobTimeWindow(job);
      if (from === applied.from && to === applied.to) {
        return;
      }
      applied = { from, to };
      timeRange.onTimeRangeChange({
        from: dateTime(from),
        to: dateTime(to === 'now' ? undefined : to),
        raw: { from, to },
      });
    };
    apply();
    return source.subscribe(apply);
  };
}

function levelVariable(): CustomVariable {
  return new CustomVariable({
    name: 'level',
    label: 'Level',
    query: 'INFO,WARN,ERROR',
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    allValue: '.+',
    // it filters the Loki panel, which JobLogsScene shows (and this with it) only once the proxy has let the job go
    hide: VariableHide.hideVariable,
  });
}

function metrics(id: string, prometheusDatasourceUid?: string): SceneFlexItem | SceneFlexLayout {
  if (!prometheusDatasourceUid) {
    return new SceneFlexItem({
      body: new SceneReactObject({
        component: MissingDatasource,
        props: { kind: 'Prometheus', shows: 'the job’s CPU and memory' },
      }),
    });
  }
  const datasource = { type: 'prometheus', uid: prometheusDatasourceUid };
  const runner = (expr: string, legendFormat: string) =>
    new SceneQueryRunner({ datasource, queries: [{ refId: 'A', expr, legendFormat, datasource }] });
  return new SceneFlexLayout({
    direction: 'row',
    minHeight: 260,
    children: [
      new SceneFlexItem({
        body: PanelBuilders.timeseries()
          .setTitle('CPU')
          .setUnit('cores')
          .setData(runner(jobCpuExpr(id), 'cpu'))
          .build(),
      }),
      new SceneFlexItem({
        body: PanelBuilders.timeseries()
          .setTitle('Memory (working set)')
          .setUnit('bytes')
          .setData(runner(jobMemoryExpr(id), 'memory'))
          .build(),
      }),
    ],
  });
}
