import type { ParamsSchema } from '../api/types';
import { basicTemplate, logGenTemplate } from '../testing/fixtures';
import { defaultValues, fieldErrorsFromApi, unplacedFieldErrors, validateParams } from './params';

const schema: ParamsSchema = {
  type: 'object',
  required: ['count', 'name'],
  properties: {
    count: { type: 'integer', minimum: 1, maximum: 3600 },
    ratio: { type: 'number', minimum: 0, maximum: 1 },
    name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    mode: { type: 'string', enum: ['fast', 'slow'] },
    size: { type: 'integer', enum: [1, 2, 4] },
    dryRun: { type: 'boolean' },
  },
};

describe('defaultValues', () => {
  it('takes each default and starts switches without one at false', () => {
    expect(defaultValues(logGenTemplate.params)).toEqual({
      tasks: 15,
      taskIntervalMs: 500,
      fail: false,
      level: 'INFO',
    });
    expect(defaultValues(basicTemplate.params)).toEqual({ message: 'Hello from FlowKube', sleepSeconds: 5 });
  });

  it('leaves params without a default out, so they read as missing', () => {
    expect(defaultValues(schema)).toEqual({ dryRun: false });
  });
});

describe('validateParams', () => {
  const valid = { count: 10, ratio: 0.5, name: 'abc', mode: 'fast', size: 2, dryRun: true };

  it('accepts values that satisfy the schema', () => {
    expect(validateParams(schema, valid)).toEqual({});
  });

  it('says which bound a number breaks', () => {
    expect(validateParams(schema, { ...valid, count: 3601 })).toEqual({ count: 'Must be at most 3600' });
    expect(validateParams(schema, { ...valid, count: 0 })).toEqual({ count: 'Must be at least 1' });
    expect(validateParams(schema, { ...valid, ratio: 1.5 })).toEqual({ ratio: 'Must be at most 1' });
  });

  it('wants whole numbers for integers but not for numbers', () => {
    expect(validateParams(schema, { ...valid, count: 2.5 })).toEqual({ count: 'Must be a whole number' });
    expect(validateParams(schema, { ...valid, ratio: 0.25 })).toEqual({});
  });

  it('rejects values of the wrong type', () => {
    expect(validateParams(schema, { ...valid, count: '10', dryRun: 'yes', name: 7 })).toEqual({
      count: 'Must be a number',
      dryRun: 'Must be true or false',
      name: 'Must be text',
    });
  });

  it('checks enum membership for strings and numbers', () => {
    expect(validateParams(schema, { ...valid, mode: 'medium', size: 3 })).toEqual({
      mode: 'Must be one of: fast, slow',
      size: 'Must be one of: 1, 2, 4',
    });
  });

  it('checks string length and pattern', () => {
    expect(validateParams(schema, { ...valid, name: 'a' })).toEqual({ name: 'Must be at least 2 characters' });
    expect(validateParams(schema, { ...valid, name: 'abcdef' })).toEqual({ name: 'Must be at most 5 characters' });
    expect(validateParams(schema, { ...valid, name: 'ABC' })).toEqual({ name: 'Must match the pattern ^[a-z]+$' });
  });

  it('counts characters, not UTF-16 units', () => {
    const emoji: ParamsSchema = { type: 'object', properties: { s: { type: 'string', maxLength: 2 } } };
    expect(validateParams(emoji, { s: '😀😀' })).toEqual({});
  });

  it('reports missing required values; an empty string is a value, as it is for the proxy', () => {
    expect(validateParams(schema, { ratio: 0.5 })).toEqual({ count: 'Is required', name: 'Is required' });
    expect(validateParams(schema, { ...valid, name: '' })).toEqual({ name: 'Must be at least 2 characters' });
  });

  it('does not ask for a required value the proxy fills in from its default', () => {
    const withDefault: ParamsSchema = {
      ...schema,
      properties: { ...schema.properties, count: { type: 'integer', default: 5 } },
    };
    expect(validateParams(withDefault, { name: 'ab' })).toEqual({});
  });

  it('lets optional params be left out', () => {
    expect(validateParams(schema, { count: 1, name: 'ab' })).toEqual({});
  });

  it('flags names the template does not take, inherited ones included', () => {
    expect(validateParams(schema, { ...valid, colour: 'red' })).toEqual({
      colour: 'Is not a parameter of this template',
    });
    const inherited = validateParams(schema, { ...valid, ...JSON.parse('{"__proto__": 1, "constructor": 2}') });
    expect(Object.keys(inherited).sort()).toEqual(['__proto__', 'constructor']);
  });
});

describe('fieldErrorsFromApi', () => {
  it('maps params.<name> to the field name and keeps other paths', () => {
    expect(
      fieldErrorsFromApi([
        { field: 'params.durationSeconds', message: 'must be <= 3600' },
        { field: 'template', message: 'unknown template "nope"' },
        { field: 'params', message: 'must be an object' },
      ])
    ).toEqual({ durationSeconds: 'must be <= 3600', template: 'unknown template "nope"', params: 'must be an object' });
  });

  it('joins different messages for one field', () => {
    expect(
      fieldErrorsFromApi([
        { field: 'params.x', message: 'too long' },
        { field: 'params.x', message: 'bad pattern' },
        { field: 'params.x', message: 'bad pattern' },
      ])
    ).toEqual({ x: 'too long; bad pattern' });
  });
});

describe('unplacedFieldErrors', () => {
  it('leaves out what a field of the form shows, keeps request-wide errors and fields the form lacks', () => {
    const errors = {
      sleepSeconds: 'must be <= 60',
      template: 'unknown template "nope"',
      seed: 'is not a parameter of template "basic"',
      timeZone: 'is not a time zone',
    };
    expect(unplacedFieldErrors(errors, ['sleepSeconds', 'message', 'timeZone'])).toEqual([
      'unknown template "nope"',
      'seed: is not a parameter of template "basic"',
    ]);
    expect(unplacedFieldErrors(errors, Object.keys(errors))).toEqual([]);
  });
});
