/**
 * How many cases a generated-input test tries. `npm test` takes the `quick` count, enough to reach every branch the
 * test asserts on while keeping the suite short on 2 cores; FLOWKUBE_PROPERTY_RUNS=full takes the `full` count, for a
 * deeper search before a release or after changing validation.
 */
export function propertyRuns(quick: number, full: number): number {
  const setting = process.env.FLOWKUBE_PROPERTY_RUNS;
  if (setting === undefined || setting === '') {
    return quick;
  }
  if (setting === 'full') {
    return full;
  }
  throw new Error(`FLOWKUBE_PROPERTY_RUNS must be "full" or unset, not ${JSON.stringify(setting)}`);
}
