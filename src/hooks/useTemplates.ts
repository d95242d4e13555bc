import { useEffect, useState } from 'react';
import { type ApiError, listTemplates } from '../api/client';
import type { TemplateView } from '../api/types';

export interface TemplatesState {
  templates: TemplateView[];
  error?: ApiError;
  loading: boolean;
}

/** The catalog, fetched once per mount (it changes only when the proxy restarts with a new catalog file). */
export function useTemplates(): TemplatesState {
  const [state, setState] = useState<TemplatesState>({ templates: [], loading: true });
  useEffect(() => {
    let current = true;
    listTemplates().then(
      (templates) => current && setState({ templates, loading: false }),
      (error: ApiError) => current && setState({ templates: [], loading: false, error })
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}
