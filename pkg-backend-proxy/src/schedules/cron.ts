// The cron grammar Kubernetes accepts for a CronJob's spec.schedule: robfig/cron v3's standard parser
// (cron.ParseStandard, github.com/robfig/cron/v3 parser.go), which kubernetes/kubernetes
// pkg/apis/batch/validation/validation.go (validateScheduleFormat) calls, plus that file's own refusal of "TZ".
// Error texts are robfig's, so the proxy's 400 reads like the API server's 422.

export interface CronField {
  values: number[];
  /** robfig's starBit: `*` or `?` without a step above 1. It decides how day-of-month and day-of-week combine. */
  star: boolean;
}

export interface ParsedCron {
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  dayOfWeek: CronField;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

/** The descriptors this parser accepts (robfig's `@every <duration>` is refused: FlowKube offers calendar schedules). */
export const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronError extends Error {}

/** What Go's strings.Fields splits on (unicode.IsSpace), which differs from JavaScript's \s (U+FEFF). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

/** Go's strconv.Atoi: optional sign, decimal digits, nothing else. */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) {
    throw new CronError(
      `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`
    );
  }
  const n = Number(text);
  if (Math.abs(n) > 9_223_372_036_854_775_807) {
    throw new CronError(
      `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`
    );
  }
  return n;
}

function mustParseInt(text: string): number {
  const n = atoi(text);
  if (n < 0) {
    throw new CronError(`negative number (${n}) not allowed: ${text}`);
  }
  return n;
}

function intOrName(text: string, names?: Record<string, number>): number {
  const named = names?.[text.toLowerCase()];
  return named ?? mustParseInt(text);
}

/** One comma-separated part: `*`, `?`, `n`, `a-b`, each with an optional `/step` (robfig's getRange). */
function parseRange(expr: string, b: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0] ?? '', b.names);
    if (lowAndHigh.length === 1) {
      end = start;
    } else if (lowAndHigh.length === 2) {
      end = intOrName(lowAndHigh[1] ?? '', b.names);
    } else {
      throw new CronError(`too many hyphens: ${expr}`);
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1] ?? '');
    if (single) {
      end = b.max;
    }
    if (step > 1) {
      star = false;
    }
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) {
    throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  }
  if (end > b.max) {
    throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  }
  if (start > end) {
    throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  }
  if (step === 0) {
    throw new CronError(`step of range should be a positive number: ${expr}`);
  }
  for (let v = start; v <= end; v += step) {
    into.add(v);
  }
  return star;
}

function parseField(text: string, b: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  // strings.FieldsFunc: empty parts ("1,,2", "5,") are skipped, not refused
  for (const part of text.split(',').filter((p) => p !== '')) {
    star = parseRange(part, b, values) || star;
  }
  return { values: [...values].sort((x, y) => x - y), star };
}

/**
 * Parses a schedule as Kubernetes would accept it, or throws a CronError with robfig's (or the API server's) words.
 * Descriptors are expanded to their five fields.
 */
export function parseCron(spec: string): ParsedCron {
  if (spec.includes('TZ')) {
    // validation.go refuses TZ= and CRON_TZ= prefixes before robfig would read them
    throw new CronError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  }
  if (spec.length === 0) {
    throw new CronError('empty spec string');
  }
  let text = spec;
  if (spec.startsWith('@')) {
    const expanded = DESCRIPTORS[spec];
    if (!expanded) {
      throw new CronError(
        spec.startsWith('@every ')
          ? `@every intervals are not supported; use five fields or one of ${Object.keys(DESCRIPTORS).join(', ')}`
          : `unrecognized descriptor: ${spec}`
      );
    }
    text = expanded;
  }
  const fields = text.split(GO_SPACE).filter((f) => f !== '');
  if (fields.length !== 5) {
    throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((f, i) => parseField(f, FIELDS[i]!)) as [
    CronField,
    CronField,
    CronField,
    CronField,
    CronField,
  ];
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/**
 * The same schedule as a croner pattern with the same meaning: explicit value lists, and `*` exactly where robfig
 * set its star bit, so croner's OR of day-of-month and day-of-week (Vixie cron's rule, which robfig follows)
 * applies to the same schedules.
 */
export function cronerPattern(parsed: ParsedCron): string {
  const field = (f: CronField) => (f.star ? '*' : f.values.join(','));
  return [parsed.minute, parsed.hour, parsed.dayOfMonth, parsed.month, parsed.dayOfWeek].map(field).join(' ');
}
