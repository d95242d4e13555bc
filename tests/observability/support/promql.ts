// PromQL structure with the Prometheus project's own grammar: which metric names a query reads.
import { parser } from '@prometheus-io/lezer-promql';

export function metricNames(query: string): string[] {
  const names = new Set<string>();
  parser.parse(query).iterate({
    enter(node) {
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.add(query.slice(node.from, node.to));
      }
    },
  });
  return [...names];
}
