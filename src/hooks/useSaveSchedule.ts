import { useCallback } from 'react';
import { type ApiError, createSchedule, updateSchedule } from '../api/client';
import type { CreateScheduleRequest, Schedule } from '../api/types';
import { launchContentKey } from '../services/idempotencyKey';
import { notifySuccess } from '../services/notify';
import { useIdempotentSubmit } from './useIdempotentSubmit';

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
  const { submit, keyFor, pending, error, fieldErrors, reset } = useIdempotentSubmit<Schedule>();

  const save = useCallback(
    (draft: ScheduleDraft, id?: string) =>
      submit(async () => {
        let schedule: Schedule;
        if (id) {
          const { template: _template, ...changes } = draft;
          schedule = await updateSchedule(id, changes);
        } else {
          schedule = await createSchedule(draft, keyFor(launchContentKey(draft.template, { ...draft })));
        }
        notifySuccess(id ? 'Schedule saved' : 'Schedule created', `${schedule.id}: ${schedule.description}`);
        return schedule;
      }),
    [submit, keyFor]
  );

  return { save, saving: pending, error, fieldErrors, reset };
}
