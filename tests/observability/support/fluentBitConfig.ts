// A parser for Fluent Bit's classic configuration format (what the fluent-bit chart's `config.*` values hold):
// `[SECTION]` headers followed by indented `Key  Value` lines. Fluent Bit cannot run here, so the tests read
// the configuration the way Fluent Bit would, then check what it does.

export interface Section {
  name: string;
  entries: Array<[key: string, value: string]>;
}

export function parseFluentBitConfig(text: string): Section[] {
  const sections: Section[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) {
      return;
    }
    const header = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1].toUpperCase(), entries: [] });
      return;
    }
    if (line.startsWith('[')) {
      throw new Error(`line ${index + 1}: malformed section header "${line}"`);
    }
    const current = sections.at(-1);
    if (!current) {
      throw new Error(`line ${index + 1}: "${line}" is outside any [SECTION]`);
    }
    const entry = /^(\S+)\s+(.+)$/.exec(line);
    if (!entry) {
      throw new Error(`line ${index + 1}: "${line}" has a key but no value`);
    }
    current.entries.push([entry[1], entry[2].trim()]);
  });
  return sections;
}

/** Value of a key (keys are case-insensitive in Fluent Bit); undefined when absent. */
export function get(section: Section, key: string): string | undefined {
  return section.entries.find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

export function sectionsNamed(sections: Section[], name: string, plugin?: string): Section[] {
  return sections.filter((s) => s.name === name && (plugin === undefined || get(s, 'Name') === plugin));
}

/** `a=$x['y'], b=$z` (the loki output's Labels / Structured_Metadata) → { a: "$x['y']", b: '$z' }. */
export function keyValueList(value: string): Record<string, string> {
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new Error(`"${pair.trim()}" is not key=value`);
      }
      return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    })
  );
}

/**
 * The two files the fluent/fluent-bit chart puts into its ConfigMap (charts/fluent-bit/templates/configmap.yaml):
 * fluent-bit.conf is `config.service`, `config.inputs`, `config.filters` and `config.outputs` in that order, and
 * custom_parsers.conf is `config.customParsers`, each passed through Helm's `tpl`. A `{{` would be run as a
 * template there, so it is refused here instead of guessed at.
 */
export function renderChartConfig(config: Record<string, string | undefined>): {
  fluentBitConf: string;
  customParsersConf: string;
} {
  const parts = ['service', 'inputs', 'filters', 'outputs', 'customParsers'] as const;
  for (const part of parts) {
    if (config[part]?.includes('{{')) {
      throw new Error(`config.${part} holds "{{", which the chart's tpl would evaluate as a Helm template`);
    }
  }
  return {
    fluentBitConf: parts
      .slice(0, 4)
      .map((p) => config[p] ?? '')
      .join('\n'),
    customParsersConf: config.customParsers ?? '',
  };
}

/**
 * Whether a Fluent Bit wildcard pattern (a Match, or a tail Path / Exclude_Path entry; `*` only) covers a string.
 * `*` may span `/`, as in tail's Exclude_Path (fluent/fluent-bit plugins/in_tail/tail_scan_glob.c, tail_is_excluded:
 * fnmatch without FNM_PATHNAME); Path is a glob(3), whose `*` stops at `/`, so Path patterns here keep each `*`
 * within one path segment.
 */
export function wildcardMatches(pattern: string, value: string): boolean {
  const re = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`).test(value);
}
