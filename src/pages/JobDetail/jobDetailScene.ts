import { EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';
import { JobSummary } from './JobSummary';

export function jobDetailScene(id: string): EmbeddedScene {
  return new EmbeddedScene({
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new SceneReactObject({ component: JobSummary, props: { id } }) })],
    }),
  });
}
