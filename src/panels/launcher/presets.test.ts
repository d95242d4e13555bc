import { basicTemplate, logGenTemplate } from '../../testing/fixtures';
import { pickParams, presetEditorSchema, resolvePresets } from './presets';

const vars: Record<string, string> = { $duration: '120', $msg: 'disk full on node-3', $fail: 'true', $word: 'soon' };
const replace = (text: string) => text.replace(/\$\w+/g, (name) => vars[name] ?? name);

describe('presetEditorSchema', () => {
  it('turns number params into text so they can hold a variable, with bounds and default in the help text', () => {
    const schema = presetEditorSchema(basicTemplate.params);
    expect(schema.properties.sleepSeconds).toEqual({
      type: 'string',
      title: 'Sleep (s)',
      description:
        'A whole number (at least 0, at most 3600) or a dashboard variable such as $duration. Empty: the template default, 5.',
    });
    expect(schema.properties.message).toBe(basicTemplate.params.properties.message);
    expect(schema.required).toBeUndefined();
  });

  it('keeps number enums and booleans as they are', () => {
    const schema = presetEditorSchema(logGenTemplate.params);
    expect(schema.properties.fail).toBe(logGenTemplate.params.properties.fail);
    expect(schema.properties.level).toBe(logGenTemplate.params.properties.level);
  });
});

describe('resolvePresets', () => {
  it('interpolates strings, then parses number params from the result', () => {
    expect(
      resolvePresets(basicTemplate.params, { message: 'Alert: $msg', sleepSeconds: '$duration' }, replace)
    ).toEqual({
      values: { message: 'Alert: disk full on node-3', sleepSeconds: 120 },
      errors: {},
    });
  });

  it('keeps typed values as they are and reads booleans from text', () => {
    expect(resolvePresets(logGenTemplate.params, { tasks: 3, fail: '$fail' }, replace).values).toEqual({
      tasks: 3,
      fail: true,
    });
  });

  it('says what a variable turned into when the result is not a number', () => {
    expect(resolvePresets(basicTemplate.params, { sleepSeconds: '$word' }, replace).errors).toEqual({
      sleepSeconds: '"$word" (= "soon") is not a number',
    });
    expect(resolvePresets(logGenTemplate.params, { fail: 'maybe' }, replace).errors).toEqual({
      fail: '"maybe" is not true or false',
    });
  });

  it('treats an empty result as unset and drops presets the template no longer has', () => {
    expect(resolvePresets(basicTemplate.params, { sleepSeconds: '', durationSeconds: 30 }, replace)).toEqual({
      values: {},
      errors: {},
    });
  });
});

describe('pickParams', () => {
  it('keeps the chosen params in template order, with their required flags', () => {
    const schema = pickParams(logGenTemplate.params, ['fail', 'tasks']);
    expect(Object.keys(schema.properties)).toEqual(['tasks', 'fail']);
    expect(schema.required).toEqual(['tasks']);
    expect(pickParams(logGenTemplate.params, ['fail']).required).toBeUndefined();
  });
});
