import React, { useState } from 'react';
import { locationService } from '@grafana/runtime';
import { LinkButton } from '@grafana/ui';
import { listTemplates } from '../../api/client';
import type { Job } from '../../api/types';
import { fetchJobLog } from '../../services/logStream';
import { needsLoggedParams, rerunParams } from '../../services/rerunParams';
import { launchPermission } from '../../utils/permissions';
import { launchUrl } from '../../utils/utils.routing';

/**
 * Opens Launch with the same template and the values the job ran with, so the person can adjust them before
 * launching again. A value the worker chose itself (a drawn seed) is read from its log on click; the link itself
 * (middle click, copy link) carries the launched values.
 */
interface Props {
  job: Job;
  testId: string;
  size?: 'sm' | 'md';
  /** Only the icon, the label in its tooltip: for narrow tables. */
  iconOnly?: boolean;
}

export function RerunButton({ job, testId, size = 'sm', iconOnly = false }: Props) {
  const permission = launchPermission();
  const [reading, setReading] = useState(false);
  const href = launchUrl(job.template, job.params);

  const onClick = async (event: React.MouseEvent<HTMLElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || !permission.allowed) {
      return;
    }
    event.preventDefault();
    setReading(true);
    let params = job.params;
    try {
      const schema = (await listTemplates()).find((t) => t.id === job.template)?.params;
      if (needsLoggedParams(job, schema)) {
        params = rerunParams(job, schema, (await fetchJobLog(job.id)).split('\n'));
      }
    } catch {
      // No catalog or no log (the Pod is gone): the launched values are still the best there is.
    } finally {
      setReading(false);
    }
    locationService.push(launchUrl(job.template, params));
  };

  return (
    <LinkButton
      size={size}
      variant="secondary"
      icon={reading ? 'spinner' : 'repeat'}
      href={href}
      onClick={onClick}
      disabled={!permission.allowed}
      tooltip={permission.reason ?? (iconOnly ? `Re-run ${job.id}` : undefined)}
      aria-label={iconOnly ? `Re-run ${job.id}` : undefined}
      data-testid={testId}
    >
      {iconOnly ? undefined : 'Re-run'}
    </LinkButton>
  );
}
