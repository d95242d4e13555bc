import { useCallback, useRef, useState } from 'react';
import { type ApiError, createSchedule, updateSchedule } from '../api/client';
import type { CreateScheduleRequest, Schedule } from '../api/types';
import { launchContentKey, newIdempotencyKey } from '../services/idempotencyKey';
import { notifySuccess } from '../services/notify';
import { fieldErrorsFromApi } from '../services/params';

export type ScheduleDraft = Required<Pick<CreateScheduleRequest, 'template' | 'params' | 'schedule' | 'timeZone'>> &
  Pick<CreateScheduleRequest, 'concurrencyPolicy'>;

export interface SaveScheduleState {
  /** Creates (no `id`) or updates the schedule; undefined when the proxy refused (see `error`, `fieldErrors`). */
  save: (draft: ScheduleDraft, id?: string) => Promise<Schedule | undefined>;
  saving: boolean;
  error?: ApiError;
  /** Keyed by param name, or `schedule`, `timeZone`, `template`, `params`. */
  fieldErrors: Record<string, string>;
  reset: () => void;
}

/**
 * Saves a schedule. A create carries an Idempotency-Key tied to its content, as a launch does: a double click or a
 * retry after a lost answer makes one CronJob, and a changed form gets a new key. An edit is a PATCH, which is
 * idempotent by itself.
 */
export function useSaveSchedule(): SaveScheduleState {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const key = useRef<{ content: string; value: string }>();
  const inFlight = useRef<Promise<Schedule | undefined>>();

  const save = useCallback((draft: ScheduleDraft, id?: string) => {
    if (inFlight.current) {
      return inFlight.current;
    }
    setSaving(true);
    setError(undefined);
    setFieldErrors({});
    let attempt: Promise<Schedule>;
    if (id) {
      const { template: _template, ...changes } = draft;
      attempt = updateSchedule(id, changes);
    } else {
      const content = launchContentKey(draft.template, { ...draft });
      if (key.current?.content !== content) {
        key.current = { content, value: newIdempotencyKey() };
      }
      attempt = createSchedule(draft, key.current.value);
    }
    inFlight.current = attempt
      .then(
        (schedule) => {
          key.current = undefined;
          notifySuccess(id ? 'Schedule saved' : 'Schedule created', `${schedule.id}: ${schedule.description}`);
          return schedule;
        },
        (apiError: ApiError) => {
          setError(apiError);
          setFieldErrors(fieldErrorsFromApi(apiError.fields));
          return undefined;
        }
      )
      .finally(() => {
        inFlight.current = undefined;
        setSaving(false);
      });
    return inFlight.current;
  }, []);

  const reset = useCallback(() => {
    setError(undefined);
    setFieldErrors({});
  }, []);

  return { save, saving, error, fieldErrors, reset };
}
