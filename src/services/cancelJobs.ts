import { type ApiError, cancelJob } from '../api/client';
import { notifyError, notifySuccess } from './notify';
import { explainProxyError } from './proxyErrors';

/**
 * Asks the proxy to cancel each job and tells the person how each went, one toast per job: a refused cancel names
 * its job. Resolves when every answer is in; the live list shows the outcome, so nothing is updated here by hand.
 */
export async function cancelJobsWithNotice(ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      cancelJob(id).then(
        () => notifySuccess('Cancel requested', id),
        (error: ApiError) => notifyError(`Could not cancel ${id}`, explainProxyError(error, 'launch'))
      )
    )
  );
}
