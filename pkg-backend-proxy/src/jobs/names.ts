import { createHash, randomInt } from 'node:crypto';
import type { JobSource, ParamValues } from '../schemas/index.ts';

/** Kubernetes' own generateName alphabet: no vowels (no words), no look-alikes (0/o, 1/l, 3/e). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A fresh Pod name chosen by the proxy, not by Kubernetes' generateName: a create that is retried after a
 * reset must reuse the same name so that Kubernetes' AlreadyExists stops a second Pod.
 */
export function randomPodName(template: string, pick: (n: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[pick(NAME_ALPHABET.length)];
  }
  return `${template}-${suffix}`;
}

/** 80 bits of the key's SHA-256 in lowercase base32. */
function idempotentSuffix(key: string): string {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 16) {
      break;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/**
 * The Pod name of an Idempotency-Key: from the key alone, so that reusing a key for another template or other
 * parameters meets the first Pod (AlreadyExists) and is answered as a conflict instead of making a second Pod.
 */
export function idempotentPodName(key: string): string {
  return `flowkube-${idempotentSuffix(key)}`;
}

function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Identifies "the same launch request" independent of key order; stored on the Pod as an annotation. The source
 * counts (its dashboard and panel; the title is for display), so one key sent from two panels is a conflict. Without a
 * source the hash is what it was before sources existed, so a repeat of a key launched by an older proxy matches.
 */
export function requestHash(template: string, params: ParamValues, source?: JobSource): string {
  const from = source && { dashboardUid: source.dashboardUid, panelId: source.panelId };
  const request = from ? { template, params, source: from } : { template, params };
  return createHash('sha256').update(canonical(request)).digest('hex').slice(0, 32);
}
