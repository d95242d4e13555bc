// LogQL syntax check with Grafana's own grammar (the one its query editor uses).
import { parser } from '@grafana/lezer-logql';

/** Positions of error nodes in the parse tree; empty when the query parses cleanly. */
export function logqlErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`at ${node.from}: …${query.slice(Math.max(0, node.from - 15), node.from + 15)}…`);
      }
    },
  });
  return errors;
}
