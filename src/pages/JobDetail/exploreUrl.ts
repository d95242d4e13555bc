export interface ExploreTarget {
  datasource: { type: string; uid: string };
  expr: string;
  from: string;
  to: string;
}

/** Grafana's Explore link (schemaVersion 1 panes), relative to Grafana's root, for one query in one pane. */
export function exploreUrl({ datasource, expr, from, to }: ExploreTarget): string {
  const panes = {
    flowkube: { datasource: datasource.uid, queries: [{ refId: 'A', expr, datasource }], range: { from, to } },
  };
  const query = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes) });
  return `/explore?${query.toString()}`;
}
