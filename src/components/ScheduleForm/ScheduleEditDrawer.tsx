import React from 'react';
import { Alert, Drawer, LoadingPlaceholder } from '@grafana/ui';
import type { Schedule } from '../../api/types';
import { useTemplates } from '../../hooks/useTemplates';
import { ProxyErrorBanner } from '../ProxyErrorBanner/ProxyErrorBanner';
import { ScheduleForm } from './ScheduleForm';

interface Props {
  schedule: Schedule;
  onClose: () => void;
  onSaved: () => void;
}

/** Edits a schedule with its template's form, opened from the Schedules page or a schedule's own view. */
export function ScheduleEditDrawer({ schedule, onClose, onSaved }: Props) {
  const { templates, error, loading } = useTemplates();
  const template = templates.find((t) => t.id === schedule.template);
  return (
    <Drawer title={`Edit ${schedule.id}`} onClose={onClose} size="md">
      {loading ? (
        <LoadingPlaceholder text="Loading the catalog…" />
      ) : error ? (
        <ProxyErrorBanner error={error} />
      ) : !template ? (
        <Alert severity="warning" title={`Template "${schedule.template}" is not in the catalog`}>
          Its parameters cannot be edited until the template is back in the proxy’s catalog. Delete the schedule, or
          restore the template.
        </Alert>
      ) : (
        <ScheduleForm
          template={template}
          schedule={schedule}
          onSaved={() => {
            onSaved();
            onClose();
          }}
          onCancel={onClose}
        />
      )}
    </Drawer>
  );
}
