import { useCallback, useState } from 'react';

const KEEP = 20;

/**
 * Where a panel remembers the jobs it launched: per dashboard and panel id, in this browser's localStorage
 * (panel ids repeat across dashboards). Launches from other browsers are on the app's Jobs page.
 */
export function recentLaunchesKey(pathname: string, panelId: number): string {
  const dashboard = /\/d\/([^/]+)/.exec(pathname)?.[1] ?? pathname;
  return `flowkube-launcher/${dashboard}/${panelId}`;
}

export function readRecentLaunches(storage: Storage, key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    // A value another version wrote, or one edited by hand: start over rather than break the panel.
    return [];
  }
}

export function addRecentLaunch(ids: string[], id: string): string[] {
  return [id, ...ids.filter((other) => other !== id)].slice(0, KEEP);
}

export function useRecentLaunches(key: string): { ids: string[]; remember: (id: string) => void } {
  const [ids, setIds] = useState(() => readRecentLaunches(window.localStorage, key));
  const remember = useCallback(
    (id: string) => {
      const next = addRecentLaunch(readRecentLaunches(window.localStorage, key), id);
      window.localStorage.setItem(key, JSON.stringify(next));
      setIds(next);
    },
    [key]
  );
  return { ids, remember };
}
