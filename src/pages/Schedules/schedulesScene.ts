import { EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';
import { ScheduleDetailView } from './ScheduleDetailView';
import { SchedulesView } from './SchedulesView';

export function schedulesScene(): EmbeddedScene {
  return new EmbeddedScene({
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new SceneReactObject({ component: SchedulesView }) })],
    }),
  });
}

export function scheduleDetailScene(id: string): EmbeddedScene {
  return new EmbeddedScene({
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new SceneReactObject({ component: ScheduleDetailView, props: { id } }) })],
    }),
  });
}
