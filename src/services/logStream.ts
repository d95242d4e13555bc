import { config } from '@grafana/runtime';
import { ApiError, apiErrorFromText, toApiError } from '../api/client';
import { apiUrls } from '../api/urls';

/** Splits a text stream into lines as they arrive; a line is passed on once its newline (or the end) is read. */
export async function readLines(body: ReadableStream<Uint8Array>, onLines: (lines: string[]) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let partial = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      const parts = (partial + decoder.decode(value, { stream: true })).split('\n');
      partial = parts.pop() ?? '';
      if (parts.length > 0) {
        onLines(parts);
      }
    }
    partial += decoder.decode();
    if (partial) {
      onLines([partial]);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Follows the job's log through the plugin route until the stream ends: the container ended, or something between
 * the browser and the proxy cut it (Grafana's app routes have no response timeout, but a load balancer or reverse
 * proxy in front of Grafana may). `skip` drops the lines already shown, because a reconnect reads the log from its
 * start again. Resolves with how many lines the log had when the stream ended; rejects with an ApiError, as every
 * call in api/client.ts does.
 */
export async function followJobLogs(
  id: string,
  options: { skip: number; signal: AbortSignal; onLines: (lines: string[]) => void; onOpen?: () => void }
): Promise<number> {
  const response = await requestLog(id, true, options.signal);
  if (!response.body) {
    // Only a 204-like answer has no body, and the proxy never sends one: something in front of it answered.
    throw new ApiError(response.status, 'grafana', `HTTP ${response.status} without a body`);
  }
  // The stream is open: whatever kept it from opening before (a Pod not started yet) is over.
  options.onOpen?.();
  let seen = 0;
  try {
    await readLines(response.body, (lines) => {
      const fresh = lines.slice(Math.max(0, options.skip - seen));
      seen += lines.length;
      if (fresh.length > 0) {
        options.onLines(fresh);
      }
    });
  } catch (err) {
    // The connection broke mid-stream.
    throw toApiError(err);
  }
  return seen;
}

/** The whole log as it is now, for a download: one request without `follow`, so it ends at the log's end. */
export async function fetchJobLog(id: string, signal?: AbortSignal): Promise<string> {
  const response = await requestLog(id, false, signal);
  return response.text().catch((err: unknown) => Promise.reject(toApiError(err)));
}

async function requestLog(id: string, follow: boolean, signal?: AbortSignal): Promise<Response> {
  // A plain fetch, not backendSrv: backendSrv buffers the whole body, and a followed body does not end while the job
  // runs. So it sends what backendSrv adds to every request to Grafana itself: the org the page is in, which Grafana
  // uses to pick the signed-in user's org and so the app's settings (public/app/core/services/backend_srv.ts,
  // parseRequestOptions, in grafana/grafana).
  const response = await fetch(`${config.appSubUrl}/${apiUrls.jobLogs(id)}${follow ? '?follow=true' : ''}`, {
    credentials: 'same-origin',
    signal,
    headers: { Accept: 'text/plain', 'X-Grafana-Org-Id': String(config.bootData.user.orgId) },
  }).catch((err: unknown) => Promise.reject(toApiError(err)));
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw apiErrorFromText(response.status, text, response.statusText);
  }
  return response;
}
