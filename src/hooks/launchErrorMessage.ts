import { ApiError } from '../api/client';

/** What a person should read when a launch is refused: what happened and what to do next. */
export function launchErrorMessage(err: ApiError): string {
  if (err.status === 429) {
    const when =
      err.retryAfterSeconds !== undefined
        ? `Try again in ${formatSeconds(err.retryAfterSeconds)}.`
        : 'Try again later.';
    return `Launch refused by a limit: ${sentence(err.message)} ${when}`;
  }
  if (err.status === 400) {
    return `The proxy rejected the parameters: ${err.message}`;
  }
  if (err.status === 403) {
    return `Not allowed to launch: ${err.message}. Launching needs the Editor role.`;
  }
  if (err.status === 0) {
    return `The launch did not reach Grafana (${err.message}). Check your connection and launch again; a retry will not make a second job.`;
  }
  return `Launch failed (HTTP ${err.status}): ${err.message}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
