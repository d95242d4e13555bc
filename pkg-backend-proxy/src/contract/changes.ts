/**
 * `GET /api/v1/changes?since=now`: the cursor alone, no items. A client that lists what it shows from GET /jobs
 * starts its watch here, as Kubernetes clients list and then watch from the list's resourceVersion.
 */
export const SINCE_NOW = 'now';
