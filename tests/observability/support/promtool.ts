// Runs the real promtool on rule groups written to a temporary file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface ToolResult {
  ok: boolean;
  output: string;
}

export function promtool(args: string[], cwd?: string): ToolResult {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (run.error) {
    throw new Error(`promtool could not run (apt-get install prometheus): ${run.error.message}`);
  }
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** `promtool check rules` on the given rule groups (Prometheus rule-file format). */
export function checkRuleGroups(groups: unknown): ToolResult {
  const dir = mkdtempSync(join(tmpdir(), 'flowkube-promtool-'));
  try {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, stringify(groups, { lineWidth: 0 }));
    return promtool(['check', 'rules', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks bare PromQL expressions by making each one a recording rule: promtool then parses and type-checks it
 * (a range vector where an instant vector belongs, a bad function, a bad matcher all fail).
 */
export function checkExpressions(exprs: Array<{ name: string; expr: string }>): ToolResult {
  const rules = exprs.map((e, i) => ({ record: `flowkube:check_${i}`, expr: e.expr }));
  const result = checkRuleGroups({ groups: [{ name: 'expressions', rules }] });
  // promtool names the failing rule by index; map it back to the panel or alert it came from.
  const output = result.output.replace(
    /flowkube:check_(\d+)/g,
    (_, i) => `${exprs[Number(i)]?.name} (${exprs[Number(i)]?.expr})`
  );
  return { ok: result.ok, output };
}
