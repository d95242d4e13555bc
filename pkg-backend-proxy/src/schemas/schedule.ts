import Type, { type Static } from 'typebox';
import { JobId, TemplateId } from './common.ts';
import { Job, JobPhase, ParamValues } from './job.ts';

/** A schedule id is its CronJob's name: `<template>-<suffix>`, at most 52 characters (Kubernetes' CronJob limit). */
export const ScheduleId = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 52 });
export const ScheduleIdParams = Type.Object({ id: ScheduleId });

export const CONCURRENCY_POLICIES = ['Forbid', 'Replace', 'Allow'] as const;
export const ConcurrencyPolicy = Type.Enum(CONCURRENCY_POLICIES);
export type ConcurrencyPolicy = Static<typeof ConcurrencyPolicy>;

/** Five cron fields or a descriptor (@daily …); the grammar itself is checked by schedules/cron.ts. */
export const CronExpression = Type.String({ minLength: 1, maxLength: 200 });
/** An IANA time zone name (Europe/Berlin); checked against the runtime's zone data by schedules/time-zone.ts. */
export const TimeZone = Type.String({ minLength: 1, maxLength: 64 });

export const Schedule = Type.Object({
  id: ScheduleId,
  template: Type.String(),
  params: ParamValues,
  schedule: Type.String(),
  /** The zone the cron is read in; UTC when the CronJob names none. */
  timeZone: Type.String(),
  /** The cron in words, e.g. "At 02:00 AM, only on Monday". */
  description: Type.String(),
  suspend: Type.Boolean(),
  concurrencyPolicy: ConcurrencyPolicy,
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastScheduleTime: Type.Optional(Type.String({ format: 'date-time' })),
  lastSuccessfulTime: Type.Optional(Type.String({ format: 'date-time' })),
  /** Absent while suspended, or when the cron never fires again. */
  nextRunAt: Type.Optional(Type.String({ format: 'date-time' })),
  /** Job ids (Pod names, as /api/v1/jobs uses) of the runs in progress. */
  active: Type.Array(JobId),
  lastRun: Type.Optional(Type.Object({ id: JobId, phase: JobPhase })),
});
export type Schedule = Static<typeof Schedule>;

export const ScheduleResponse = Type.Object({ schedule: Schedule });
export type ScheduleResponse = Static<typeof ScheduleResponse>;

export const ScheduleList = Type.Object({ items: Type.Array(Schedule) });
export type ScheduleList = Static<typeof ScheduleList>;

export const CreateScheduleRequest = Type.Object(
  {
    template: TemplateId,
    params: Type.Optional(ParamValues),
    schedule: CronExpression,
    timeZone: Type.Optional(TimeZone),
    suspend: Type.Optional(Type.Boolean()),
    concurrencyPolicy: Type.Optional(ConcurrencyPolicy),
  },
  { additionalProperties: false }
);
export type CreateScheduleRequest = Static<typeof CreateScheduleRequest>;

/** Any of these; `template` is named so that changing it is a 400 that says why, not an unknown field. */
export const UpdateScheduleRequest = Type.Object(
  {
    template: Type.Optional(Type.String({ maxLength: 64 })),
    params: Type.Optional(ParamValues),
    schedule: Type.Optional(CronExpression),
    timeZone: Type.Optional(TimeZone),
    suspend: Type.Optional(Type.Boolean()),
    concurrencyPolicy: Type.Optional(ConcurrencyPolicy),
  },
  { additionalProperties: false, minProperties: 1 }
);
export type UpdateScheduleRequest = Static<typeof UpdateScheduleRequest>;

export const RunNowResponse = Type.Object({ job: Job });
export type RunNowResponse = Static<typeof RunNowResponse>;
