import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import type { DatasourceSettings } from '../../services/settings';
import { prefixRoute } from '../../utils/utils.routing';
import { jobDetailPage } from '../JobDetail/jobDetailPage';
import { jobsScene } from './jobsScene';

export function jobsPage(settings: DatasourceSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Jobs',
    subTitle: 'Every FlowKube job, updated live',
    titleIcon: 'list-ul',
    url: prefixRoute(ROUTES.Jobs),
    routePath: `${ROUTES.Jobs}/*`,
    getScene: jobsScene,
    drilldowns: [
      {
        routePath: ':id/*',
        getPage: (match, parent) => jobDetailPage(decodeURIComponent(match.params.id), parent, settings),
      },
    ],
  });
}
