import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ApiError, listTemplates } from '../api/client';
import type { TemplateView } from '../api/types';
import type { LiveJobsStore } from '../services/liveJobs';

export interface TemplatesState {
  templates: TemplateView[];
  error?: ApiError;
  loading: boolean;
}

const noSubscription = () => () => undefined;
const noRevision = () => undefined;

/**
 * The catalog, fetched on mount. Given the live store (the Launch page), it is fetched again whenever the proxy's
 * catalogRevision moves (a ConfigMap template was added, changed or removed), which the shared /changes long-poll
 * reports: no page reload needed. Without one (option editors) it starts no long-poll.
 */
export function useTemplates(live?: LiveJobsStore): TemplatesState {
  const [state, setState] = useState<TemplatesState>({ templates: [], loading: true });
  const revision = useSyncExternalStore(
    live?.subscribe ?? noSubscription,
    live ? () => live.getSnapshot().catalogRevision : noRevision
  );
  useEffect(() => {
    let current = true;
    listTemplates().then(
      (templates) => current && setState({ templates, loading: false }),
      (error: ApiError) => current && setState({ templates: [], loading: false, error })
    );
    return () => {
      current = false;
    };
  }, [revision]);
  return state;
}
