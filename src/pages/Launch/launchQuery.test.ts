import type { ParamsSchema } from '../../api/types';
import { launchUrl } from '../../utils/utils.routing';
import { initialValues, parseLaunchQuery } from './launchQuery';

const schema: ParamsSchema = {
  type: 'object',
  properties: {
    tasks: { type: 'integer', minimum: 1, maximum: 1000, default: 15 },
    fail: { type: 'boolean', default: false },
  },
};

describe('launch query', () => {
  it('reads back what the re-run link wrote', () => {
    const url = launchUrl('log-gen', { tasks: 3, fail: true });
    expect(parseLaunchQuery(url.slice(url.indexOf('?')))).toEqual({
      template: 'log-gen',
      params: { tasks: 3, fail: true },
    });
  });

  it('ignores malformed params instead of failing the page', () => {
    expect(parseLaunchQuery('?template=basic&params=%7Bnot-json')).toEqual({ template: 'basic' });
    expect(parseLaunchQuery('?template=basic&params=%5B1%5D')).toEqual({ template: 'basic' });
    expect(parseLaunchQuery('?params=%7B%22a%22%3A%7B%7D%2C%22b%22%3A1%7D')).toEqual({
      template: undefined,
      params: { b: 1 },
    });
    expect(parseLaunchQuery('')).toEqual({ template: undefined });
  });

  it('fills defaults and keeps only parameters the template still has', () => {
    expect(initialValues(schema)).toEqual({ tasks: 15, fail: false });
    expect(initialValues(schema, { tasks: 7, removedParam: 'x' })).toEqual({ tasks: 7, fail: false });
  });
});
