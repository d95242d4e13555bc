import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneReactObject,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
} from '@grafana/scenes';
import { MissingDatasource } from '../../../components/MissingDatasource/MissingDatasource';
import type { DatasourceSettings } from '../../../services/settings';
import { HistoryView } from './HistoryView';

/** The Jobs page's History tab: what ran in the picked range (default the last 24 h), from the audit events in Loki. */
export function historyScene({ lokiDatasourceUid }: DatasourceSettings): EmbeddedScene {
  if (!lokiDatasourceUid) {
    return new EmbeddedScene({
      body: new SceneFlexLayout({
        direction: 'column',
        children: [
          new SceneFlexItem({
            body: new SceneReactObject({
              component: MissingDatasource,
              props: {
                kind: 'Loki',
                title: 'History needs a Loki data source',
                shows: 'every job that ran, also after its Pod is gone: the proxy’s audit events are kept in Loki',
              },
            }),
          }),
        ],
      }),
    });
  }
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-24h', to: 'now' }),
    controls: [new SceneControlsSpacer(), new SceneTimePicker({}), new SceneRefreshPicker({})],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new HistoryView({ datasourceUid: lokiDatasourceUid, loading: true }) })],
    }),
  });
}
