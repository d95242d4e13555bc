import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { launchScene } from './launchScene';

export function launchPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Launch',
    subTitle: 'Start a job from the catalog',
    titleIcon: 'rocket',
    url: prefixRoute(ROUTES.Launch),
    routePath: `${ROUTES.Launch}/*`,
    // Re-run links carry the template and its values in the URL; keep them when Scenes rewrites it.
    preserveUrlKeys: ['template', 'params'],
    getScene: launchScene,
  });
}
