import { createHash, randomInt } from 'node:crypto';
import { NAME_ALPHABET, requestHash } from '../jobs/names.ts';
import type { ParamValues } from '../schemas/index.ts';

/** Kubernetes' CronJob name limit: the controller appends `-<minutes since the epoch>` (11 characters) for Jobs. */
export const MAX_SCHEDULE_NAME = 52;
/** 10 characters: a 40-character template id, '-' and the suffix fit in 52. */
const SUFFIX_LENGTH = 10;

/**
 * `<template>-<suffix>`: random, or derived from an Idempotency-Key so that every proxy replica picks the same name
 * for the same key and Kubernetes' AlreadyExists stops a second CronJob.
 */
export function scheduleName(
  template: string,
  idempotencyKey?: string,
  pick: (n: number) => number = randomInt
): string {
  let suffix = '';
  if (idempotencyKey === undefined) {
    for (let i = 0; i < SUFFIX_LENGTH; i++) {
      suffix += NAME_ALPHABET[pick(NAME_ALPHABET.length)];
    }
  } else {
    const digest = createHash('sha256').update(`schedule:${idempotencyKey}`, 'utf8').digest();
    for (let i = 0; i < SUFFIX_LENGTH; i++) {
      suffix += NAME_ALPHABET[digest[i]! % NAME_ALPHABET.length];
    }
  }
  return `${template}-${suffix}`.slice(0, MAX_SCHEDULE_NAME);
}

/** Identifies "the same schedule request" (template, params in any key order, cron, zone, suspend, policy). */
export function scheduleRequestHash(r: {
  template: { id: string };
  params: ParamValues;
  schedule: string;
  timeZone: string;
  suspend: boolean;
  concurrencyPolicy: string;
}): string {
  const rest = JSON.stringify([r.schedule, r.timeZone, r.suspend, r.concurrencyPolicy]);
  return createHash('sha256')
    .update(`${requestHash(r.template.id, r.params)}:${rest}`)
    .digest('hex')
    .slice(0, 32);
}
