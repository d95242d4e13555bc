import React from 'react';
import type { AuditEvent } from '../../api/types';
import { Timeline } from '../../components/JobTimeline/JobTimeline';
import { testIds } from '../../components/testIds';
import { describeEvent } from '../../services/history';

/** A job's recorded transitions, in the order they happened, from its audit events. */
export function EventTimeline({ events }: { events: AuditEvent[] }) {
  const steps = events.map((e) => ({ key: e.eventId, at: e.time, ...describeEvent(e) }));
  return <Timeline steps={steps} testId={testIds.history.timeline} />;
}
