import {
  CustomVariable,
  EmbeddedScene,
  PanelBuilders,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  type SceneObject,
  SceneQueryRunner,
  SceneReactObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
} from '@grafana/scenes';
import { LogStream } from '../../components/LogStream/LogStream';
import { getAppSettings } from '../../services/settings';
import { JobLogsScene } from './JobLogsScene';
import { JobSummary } from './JobSummary';
import { MissingDatasource } from './MissingDatasource';
import { jobCpuExpr, jobMemoryExpr } from './queries';

export function jobDetailScene(id: string): EmbeddedScene {
  const { lokiDatasourceUid, prometheusDatasourceUid } = getAppSettings();
  return new EmbeddedScene({
    // Jobs are kept for an hour after they end (the proxy's retention), so an hour back covers them.
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: lokiDatasourceUid ? new SceneVariableSet({ variables: [levelVariable()] }) : undefined,
    controls: [
      ...(lokiDatasourceUid ? [new VariableValueSelectors({})] : []),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new SceneReactObject({ component: JobSummary, props: { id } }) }),
        new SceneFlexItem({ minHeight: 420, body: logs(id, lokiDatasourceUid) }),
        metrics(id, prometheusDatasourceUid),
      ],
    }),
  });
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
  });
}

function logs(id: string, lokiDatasourceUid?: string): SceneObject {
  if (lokiDatasourceUid) {
    return new JobLogsScene({ jobId: id, datasourceUid: lokiDatasourceUid });
  }
  // Without Loki the proxy streams the Pod's log itself (kept only while the Pod exists).
  return new SceneReactObject({ component: LogStream, props: { id } });
}

function metrics(id: string, prometheusDatasourceUid?: string): SceneFlexItem | SceneFlexLayout {
  if (!prometheusDatasourceUid) {
    return new SceneFlexItem({
      body: new SceneReactObject({
        component: MissingDatasource,
        props: { kind: 'Prometheus', shows: 'CPU and memory' },
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
