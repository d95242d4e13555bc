import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute, scheduleUrl } from '../../utils/utils.routing';
import { scheduleDetailScene, schedulesScene } from './schedulesScene';

export function schedulesPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Schedules',
    subTitle: 'Templates that Kubernetes runs on a cron schedule (CronJobs)',
    titleIcon: 'clock-nine',
    url: prefixRoute(ROUTES.Schedules),
    routePath: `${ROUTES.Schedules}/*`,
    getScene: schedulesScene,
    drilldowns: [
      {
        routePath: ':id/*',
        // a drill-down of Schedules, so the breadcrumb leads back to the list
        getPage: (match, parent) => {
          const id = decodeURIComponent(match.params.id ?? '');
          return new SceneAppPage({
            title: id,
            subTitle: 'Schedule and its runs',
            titleIcon: 'clock-nine',
            url: scheduleUrl(id),
            routePath: ':id/*',
            getParentPage: () => parent,
            getScene: () => scheduleDetailScene(id),
          });
        },
      },
    ],
  });
}
