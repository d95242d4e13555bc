import { useEffect, useState } from 'react';
import { getAppSettings } from '../api/client';
import { missingSetup } from '../services/setup';

/**
 * For the launcher panel, which, unlike the app's pages, is not handed the app's settings by Grafana: reads them and
 * says what is still to configure. When they cannot be read, it assumes nothing is missing and lets the panel's own
 * calls explain what failed.
 */
export function useAppSetup(): { loading: boolean; missing: string[] } {
  const [state, setState] = useState<{ loading: boolean; missing: string[] }>({ loading: true, missing: [] });
  useEffect(() => {
    let current = true;
    getAppSettings().then(
      (settings) => current && setState({ loading: false, missing: missingSetup(settings) }),
      () => current && setState({ loading: false, missing: [] })
    );
    return () => {
      current = false;
    };
  }, []);
  return state;
}
