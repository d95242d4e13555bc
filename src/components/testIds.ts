export const testIds = {
  appConfig: {
    proxyUrl: 'data-testid ac-proxy-url',
    readToken: 'data-testid ac-read-token',
    launchToken: 'data-testid ac-launch-token',
    save: 'data-testid ac-save',
    testConnection: 'data-testid ac-test-connection',
    testResult: 'data-testid ac-test-result',
  },
  paramsForm: {
    field: (name: string) => `data-testid params-form-field-${name}`,
  },
  launcherPanel: {
    container: 'data-testid launcher-panel',
    launch: 'data-testid launcher-panel-launch',
    recentJobs: 'data-testid launcher-panel-recent-jobs',
    error: 'data-testid launcher-panel-error',
  },
  proxyError: {
    banner: 'data-testid proxy-error-banner',
  },
  launch: {
    container: 'data-testid launch-page',
    templateCard: (id: string) => `data-testid launch-template-${id}`,
    choose: (id: string) => `data-testid launch-choose-${id}`,
    submit: 'data-testid launch-submit',
    permission: 'data-testid launch-permission',
  },
  jobs: {
    container: 'data-testid jobs-page',
    table: 'data-testid jobs-table',
    row: (id: string) => `data-testid jobs-row-${id}`,
    filterTemplate: 'data-testid jobs-filter-template',
    filterPhase: 'data-testid jobs-filter-phase',
    filterText: 'data-testid jobs-filter-text',
    cancel: (id: string) => `data-testid jobs-cancel-${id}`,
    rerun: (id: string) => `data-testid jobs-rerun-${id}`,
    empty: 'data-testid jobs-empty',
  },
  jobDetail: {
    container: 'data-testid job-detail',
    timeline: 'data-testid job-timeline',
    params: 'data-testid job-params',
    cancel: 'data-testid job-detail-cancel',
    rerun: 'data-testid job-detail-rerun',
    logStream: 'data-testid job-log-stream',
    explore: 'data-testid job-open-explore',
  },
};
