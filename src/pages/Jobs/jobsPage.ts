import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import type { DatasourceSettings } from '../../services/settings';
import { prefixRoute } from '../../utils/utils.routing';
import { jobDetailPage } from '../JobDetail/jobDetailPage';
import { historyScene } from './History/historyScene';
import { jobsScene } from './jobsScene';

/** Each tab keeps its own filters (and History its time range) when the other tab is opened. */
const LIVE_KEYS = ['template', 'phase', 'schedule', 'q'];
const HISTORY_KEYS = ['template', 'user', 'outcome', 'from', 'to'];

export function jobsPage(settings: DatasourceSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Jobs',
    subTitle: 'Every FlowKube job: live from the proxy, and its history from Loki',
    titleIcon: 'list-ul',
    url: prefixRoute(ROUTES.Jobs),
    routePath: `${ROUTES.Jobs}/*`,
    tabs: [
      new SceneAppPage({
        title: 'Live',
        titleIcon: 'sync',
        url: prefixRoute(ROUTES.Jobs),
        routePath: '',
        preserveUrlKeys: LIVE_KEYS,
        getScene: jobsScene,
      }),
      new SceneAppPage({
        title: 'History',
        titleIcon: 'history',
        url: prefixRoute(ROUTES.JobsHistory),
        // relative to the Jobs page's own route
        routePath: ROUTES.JobsHistory.slice(ROUTES.Jobs.length + 1),
        preserveUrlKeys: HISTORY_KEYS,
        getScene: () => historyScene(settings),
      }),
    ],
    drilldowns: [
      {
        routePath: ':id/*',
        getPage: (match, parent) => jobDetailPage(decodeURIComponent(match.params.id), parent, settings),
      },
    ],
  });
}
