import type { Job } from '../../api/types';
import { jobTimeWindow } from '../../services/jobTimeWindow';

/** The provisioned "FlowKube / Job logs" dashboard (src/dashboards/logs.json): its uid and variables. */
export const LOGS_DASHBOARD_UID = 'flowkube-logs';

/** `job` is a regex over Pod names there; ids are DNS names, but a literal stays literal whatever it holds. */
const regexLiteral = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The dashboard narrowed to this job and its lifetime, relative to Grafana's root. */
export function logsDashboardUrl(job: Job): string {
  const { from, to } = jobTimeWindow(job);
  const query = new URLSearchParams({
    'var-job_type': job.template,
    'var-job': regexLiteral(job.id),
    from: String(Date.parse(from)),
    to: to === 'now' ? 'now' : String(Date.parse(to)),
  });
  return `/d/${LOGS_DASHBOARD_UID}?${query.toString()}`;
}
