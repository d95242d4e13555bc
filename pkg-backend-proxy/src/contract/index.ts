// The proxy's HTTP contract as the Grafana plugin imports it: `@flowkube/backend-proxy/contract`. Browser-safe by
// rule: types come from ../schemas through type-only imports, and the few values here import neither TypeBox, ajv
// nor anything of Node.
export {
  AUDIT_EVENTS,
  AUDIT_STREAM_LABELS,
  AUDIT_STREAM_SELECTOR,
  type AuditEvent,
  type AuditKind,
  jobAuditEvent,
  parseAuditLine,
} from './audit.ts';
export { SINCE_NOW } from './changes.ts';
export { DEFAULT_NAMESPACE } from './namespace.ts';
export { ERROR_CODES, type ErrorCode } from './errors.ts';
export {
  JOB_PHASES,
  type JobPhase,
  PHASE_FILTERS,
  type PhaseFilter,
  inPhaseFilter,
  isActive,
  isFinished,
  isJobPhase,
  isPhaseFilter,
} from './phases.ts';
export { GLOBAL_LIMIT, limitedTemplate, templateLimit } from './limits.ts';
export { paramProblems, withDefaults } from './params.ts';
export { MAX_PANEL_ID, MAX_SOURCE_TITLE, isDashboardUid } from './source.ts';
export type * from './types.ts';
// schedules: the proxy's own cron, time zone and never-fires checks, so the form refuses what the proxy refuses
export { checkSchedule, type ScheduleCheck } from '../schedules/check-schedule.ts';
export { describeSchedule, nextRuns } from '../schedules/next-runs.ts';
export { parseCron } from '../schedules/cron.ts';
