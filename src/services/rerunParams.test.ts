import { job, logGenTemplate } from '../testing/fixtures';
import { needsLoggedParams, rerunParams } from './rerunParams';

const schema = {
  ...logGenTemplate.params,
  properties: {
    ...logGenTemplate.params.properties,
    seed: { type: 'integer' as const, minimum: 0, maximum: 2147483647 },
  },
};
const ran = job({ template: 'log-gen', params: { tasks: 3 }, startedAt: '2026-11-26T22:00:02Z' });

describe('rerunParams', () => {
  it('adds the seed the worker drew and logged to the values it was launched with', () => {
    const log = [
      'not json',
      '{"ts":"2026-11-26T22:00:02Z","level":"INFO","msg":"log generation started","tasks_total":3,"seed":1804289383}',
      '{"msg":"later","seed":7}',
    ];
    // `level` is the logger's own field here, not the template's `level` parameter
    expect(rerunParams(ran, schema, log)).toEqual({ tasks: 3, seed: 1804289383 });
  });

  it('never overrides a launched value, and leaves out what the form could not hold exactly or has the wrong type', () => {
    const log = ['{"tasks":99,"seed":12345678901234567890,"fail":"yes"}'];
    expect(rerunParams(ran, schema, log)).toEqual({ tasks: 3 });
  });

  it('reads the log only for a job that ran and lacks some parameter', () => {
    expect(needsLoggedParams(ran, schema)).toBe(true);
    expect(needsLoggedParams({ ...ran, startedAt: undefined }, schema)).toBe(false);
    const all = Object.fromEntries(Object.keys(schema.properties).map((k) => [k, 1]));
    expect(needsLoggedParams({ ...ran, params: all }, schema)).toBe(false);
  });
});
