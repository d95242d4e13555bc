import React from 'react';
import { Badge, type BadgeColor, type IconName } from '@grafana/ui';
import type { JobPhase } from '../../api/types';

const LOOK: Record<JobPhase, { color: BadgeColor; icon: IconName }> = {
  Pending: { color: 'blue', icon: 'clock-nine' },
  Running: { color: 'orange', icon: 'sync' },
  Succeeded: { color: 'green', icon: 'check' },
  Failed: { color: 'red', icon: 'exclamation-triangle' },
  Cancelled: { color: 'darkgrey', icon: 'minus-circle' },
  Unknown: { color: 'purple', icon: 'question-circle' },
};

export interface PhaseBadgeProps {
  phase: JobPhase;
  /** Shown as the tooltip, so a Failed badge says why without opening the job. */
  reason?: string;
}

export function PhaseBadge({ phase, reason }: PhaseBadgeProps) {
  const look = LOOK[phase] ?? LOOK.Unknown;
  return <Badge text={phase} color={look.color} icon={look.icon} tooltip={reason} />;
}
