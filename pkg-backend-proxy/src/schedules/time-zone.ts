// The time zone check of kubernetes/kubernetes pkg/apis/batch/validation/validation.go (validateTimeZone): the IANA
// naming rules, no "Local", and a zone the runtime knows (Go's time.LoadLocation there, Intl here).

/** validation.go's validTimeZoneCharacters, applied to each '/'-separated part. */
const PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** Why Kubernetes would refuse `timeZone`, or undefined when it is a zone it knows. */
export function timeZoneError(timeZone: string): string | undefined {
  if (timeZone === '') {
    return 'timeZone must be nil or non-empty string';
  }
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !PART.test(part)) {
      return `unknown time zone ${timeZone}`;
    }
  }
  if (timeZone.toLowerCase() === 'local') {
    return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  }
  // Intl also takes UTC offsets ("+0100"), which are no zone file for Go
  if (/^[+-]\d/.test(timeZone)) {
    return `unknown time zone ${timeZone}`;
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone ${timeZone}`;
  }
  // Go reads zone files by name on a case-sensitive file system: "europe/berlin" is unknown there
  if (resolved.toLowerCase() === timeZone.toLowerCase() && resolved !== timeZone) {
    return `unknown time zone ${timeZone}`;
  }
  return undefined;
}
