import type { Static } from 'typebox';
import type * as schemas from '../schemas/index.ts';

// The contract's types, derived from the proxy's TypeBox schemas, which stay the single source. Type-only imports:
// nothing of TypeBox is loaded at run time by whoever imports the contract.
export type ErrorBody = Static<typeof schemas.ErrorBody>;
export type FieldError = Static<typeof schemas.FieldError>;
export type Job = Static<typeof schemas.Job>;
export type JobFailure = Static<typeof schemas.JobFailure>;
export type JobSource = Static<typeof schemas.JobSource>;
export type JobResponse = Static<typeof schemas.JobResponse>;
export type JobList = Static<typeof schemas.JobList>;
export type JobListQuery = Static<typeof schemas.JobListQuery>;
export type LaunchRequest = Static<typeof schemas.LaunchRequest>;
export type LogQuery = Static<typeof schemas.LogQuery>;
export type ChangesQuery = Static<typeof schemas.ChangesQuery>;
export type ChangesResponse = Static<typeof schemas.ChangesResponse>;
export type ParamSchema = Static<typeof schemas.ParamSchema>;
export type ParamsSchema = Static<typeof schemas.ParamsSchema>;
export type ParamValue = Static<typeof schemas.ParamValue>;
export type ParamValues = Static<typeof schemas.ParamValues>;
export type Resources = Static<typeof schemas.Resources>;
export type TemplateView = Static<typeof schemas.TemplateView>;
export type TemplateList = Static<typeof schemas.TemplateList>;
export type Schedule = Static<typeof schemas.Schedule>;
export type ScheduleList = Static<typeof schemas.ScheduleList>;
export type ScheduleResponse = Static<typeof schemas.ScheduleResponse>;
export type CreateScheduleRequest = Static<typeof schemas.CreateScheduleRequest>;
export type UpdateScheduleRequest = Static<typeof schemas.UpdateScheduleRequest>;
export type ConcurrencyPolicy = Static<typeof schemas.ConcurrencyPolicy>;
export type RunNowResponse = Static<typeof schemas.RunNowResponse>;
export type CatalogStatus = Static<typeof schemas.CatalogStatus>;
