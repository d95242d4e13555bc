import { lastValueFrom } from 'rxjs';
import type { PluginMeta } from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { apiUrls, appSettingsUrl } from './urls';
import type { AppSettings } from '../services/settings';
import type { AppSetup } from '../services/setup';
import type {
  CatalogStatus,
  ChangesQuery,
  ChangesResponse,
  CreateScheduleRequest,
  ErrorBody,
  ErrorCode,
  FieldError,
  Job,
  JobList,
  JobListQuery,
  JobResponse,
  LaunchRequest,
  RunNowResponse,
  Schedule,
  ScheduleList,
  ScheduleResponse,
  TemplateList,
  TemplateView,
  UpdateScheduleRequest,
} from './types';

/** The proxy's codes, plus 'grafana' when Grafana answered in its place and 'network' when nothing answered. */
export type ApiErrorCode = ErrorCode | 'grafana' | 'network';

/**
 * An error answered by the proxy (or by Grafana in front of it), with the fields it names, if any. Every call
 * below rejects with an ApiError and nothing else, so callers never re-wrap what they catch.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly retryAfterSeconds?: number,
    /** A limit_exceeded's `details.limit`: which launch limit refused it (contract/limits.ts). */
    readonly limit?: string
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * What every call rejects with: an ApiError for an HTTP answer, or a 'network' one when nothing answered. Exported
 * for the log stream, which reads with a plain fetch (services/logStream.ts) and must fail the way these calls do.
 */
export function toApiError(err: unknown): ApiError {
  if (!isFetchError(err)) {
    return new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  return apiErrorFromBody(err.status, err.data, err.statusText);
}

/** The same ApiError from an error answer whose body is still text, as a plain fetch gets it. */
export function apiErrorFromText(status: number, text: string, statusText?: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: something in front of the proxy answered in plain text, as backendSrv would show it.
    body = text ? { message: text } : undefined;
  }
  return apiErrorFromBody(status, body, statusText);
}

function apiErrorFromBody(status: number, data: unknown, statusText: string | undefined): ApiError {
  const body = data as (Partial<ErrorBody> & { message?: string }) | undefined;
  // Grafana turns a non-JSON error body into `{message, error: statusText, response}`: a string `error` is not ours.
  if (body?.error && typeof body.error === 'object') {
    const { code, message, details } = body.error;
    return new ApiError(status, code, message, details?.fields ?? [], details?.retryAfterSeconds, details?.limit);
  }
  // Grafana itself answered (no route, no permission, proxy unreachable): its body has a plain message.
  const message = body?.message || statusText || `HTTP ${status}`;
  return new ApiError(status, 'grafana', message);
}

async function request<T>(options: {
  url: string;
  method?: string;
  data?: unknown;
  params?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}): Promise<{ status: number; data: T }> {
  const params = Object.fromEntries(Object.entries(options.params ?? {}).filter(([, v]) => v !== undefined));
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({ ...options, params, showErrorAlert: false, showSuccessAlert: false })
    );
    return { status: response.status, data: response.data };
  } catch (err) {
    throw toApiError(err);
  }
}

export async function listTemplates(): Promise<TemplateView[]> {
  return (await request<TemplateList>({ url: apiUrls.templates() })).data.items;
}

/** Every catalog source and each template's problems, for Admins on the configuration page. */
export async function getCatalog(): Promise<CatalogStatus> {
  return (await request<CatalogStatus>({ url: apiUrls.catalog() })).data;
}

/** One page of the list, sorted and filtered by the proxy, with its `continue` cursor and per-phase counts. */
export async function listJobPage(query: JobListQuery): Promise<JobList> {
  return (await request<JobList>({ url: apiUrls.jobs(), params: query })).data;
}

export async function listJobs(query: JobListQuery = {}): Promise<Job[]> {
  return (await listJobPage(query)).items;
}

export async function getJob(id: string): Promise<Job> {
  return (await request<JobResponse>({ url: apiUrls.job(id) })).data.job;
}

/** `idempotencyKey` is made once per form submission, so a double click or a retry makes one job. */
export async function launchJob(body: LaunchRequest, idempotencyKey: string): Promise<Job> {
  const response = await request<JobResponse>({
    url: apiUrls.jobs(),
    method: 'POST',
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return response.data.job;
}

export async function cancelJob(id: string): Promise<Job> {
  return (await request<JobResponse>({ url: apiUrls.job(id), method: 'DELETE' })).data.job;
}

/**
 * Long-polls for changes after `cursor`; throws an ApiError with status 410 when the client must re-list.
 * `schedulesSince` asks the proxy to name the schedules changed after that revision as well.
 */
export async function pollChanges(
  cursor: string | undefined,
  timeoutSeconds: number,
  schedulesSince?: number,
  catalogRevision?: number
): Promise<ChangesResponse> {
  const params: ChangesQuery = { since: cursor, timeoutSeconds, schedulesSince, catalogRevision };
  return (await request<ChangesResponse>({ url: apiUrls.changes(), params })).data;
}

export async function listSchedules(): Promise<Schedule[]> {
  return (await request<ScheduleList>({ url: apiUrls.schedules() })).data.items;
}

export async function getSchedule(id: string): Promise<Schedule> {
  return (await request<ScheduleResponse>({ url: apiUrls.schedule(id) })).data.schedule;
}

/** As for launchJob: one key per form submission, so a double click or a retry makes one CronJob. */
export async function createSchedule(body: CreateScheduleRequest, idempotencyKey: string): Promise<Schedule> {
  const response = await request<ScheduleResponse>({
    url: apiUrls.schedules(),
    method: 'POST',
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return response.data.schedule;
}

export async function updateSchedule(id: string, body: UpdateScheduleRequest): Promise<Schedule> {
  return (await request<ScheduleResponse>({ url: apiUrls.schedule(id), method: 'PATCH', data: body })).data.schedule;
}

export async function deleteSchedule(id: string): Promise<void> {
  await request<unknown>({ url: apiUrls.schedule(id), method: 'DELETE' });
}

/** One run now, outside the cron; resolves to the run's job (a Pod name, as /api/v1/jobs uses). */
export async function runScheduleNow(id: string): Promise<Job> {
  return (await request<RunNowResponse>({ url: apiUrls.scheduleRun(id), method: 'POST' })).data.job;
}

/** The app's settings as Grafana hands them to the browser: jsonData, and which secrets are set. */
export async function getAppSettings(): Promise<AppSetup> {
  return (await request<AppSetup>({ url: appSettingsUrl() })).data;
}

/**
 * Saves the app's settings (Admins only) to Grafana's endpoint for them. Grafana is the only one to answer here, so
 * a failure is a 'grafana' ApiError, explained as the proxy's calls are.
 */
export async function saveAppSettings(data: Partial<PluginMeta<AppSettings>>): Promise<void> {
  await request<unknown>({ url: appSettingsUrl(), method: 'POST', data });
}

export async function checkEndpoint(url: string): Promise<void> {
  await request<unknown>({ url });
}
