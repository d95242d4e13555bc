import { SceneAppPage, type SceneAppPageLike } from '@grafana/scenes';
import type { DatasourceSettings } from '../../services/settings';
import { jobUrl } from '../../utils/utils.routing';
import { jobDetailScene } from './jobDetailScene';

/** A drill-down of Jobs, so the breadcrumb leads back to the list. */
export function jobDetailPage(id: string, parent: SceneAppPageLike, settings: DatasourceSettings): SceneAppPage {
  return new SceneAppPage({
    title: id,
    subTitle: 'Job detail',
    titleIcon: 'cube',
    url: jobUrl(id),
    routePath: ':id/*',
    getParentPage: () => parent,
    getScene: () => jobDetailScene(id, settings),
  });
}
