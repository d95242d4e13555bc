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
  pageOne: {
    container: 'data-testid pg-one-container',
    navigateToFour: 'data-testid navigate-to-four',
  },
  pageTwo: {
    container: 'data-testid pg-two-container',
  },
  pageThree: {
    container: 'data-testid pg-three-container',
  },
  pageFour: {
    container: 'data-testid pg-four-container',
    navigateBack: 'data-testid navigate-back',
  },
};
