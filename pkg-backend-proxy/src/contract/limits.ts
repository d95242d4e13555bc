// `details.limit` of a 429 limit_exceeded names the launch limit that refused it, so a client can show the jobs
// that fill it.

/** FLOWKUBE_MAX_ACTIVE: every active job counts. */
export const GLOBAL_LIMIT = 'FLOWKUBE_MAX_ACTIVE';

const TEMPLATE_LIMIT = 'template:';

/** A template's maxConcurrent: only its own active jobs count. */
export const templateLimit = (template: string): string => `${TEMPLATE_LIMIT}${template}`;

/** The template whose maxConcurrent `limit` names; undefined for the global limit or none. */
export function limitedTemplate(limit: string | undefined): string | undefined {
  return limit?.startsWith(TEMPLATE_LIMIT) ? limit.slice(TEMPLATE_LIMIT.length) : undefined;
}
