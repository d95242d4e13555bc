import React, { useState } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { ParamsSchema, ParamValues } from '../../api/types';
import { basicTemplate, logGenTemplate } from '../../testing/fixtures';
import { testIds } from '../testIds';
import { ParamsForm } from './ParamsForm';
import { defaultValues, validateParams } from '../../services/params';

// Up to 8 test runs share 2 cores here; the default waits (1 s for async UI, 5 s a test) are too short under that load.

/** A form wired the way the pages use it: values in state, errors from validateParams. */
function Harness({
  schema,
  editable,
  onValues,
}: {
  schema: ParamsSchema;
  editable?: string[];
  onValues?: (v: ParamValues) => void;
}) {
  const [values, setValues] = useState<ParamValues>(defaultValues(schema));
  return (
    <ParamsForm
      schema={schema}
      values={values}
      errors={validateParams(schema, values)}
      editable={editable}
      onChange={(next) => {
        setValues(next);
        onValues?.(next);
      }}
    />
  );
}

const field = (name: string) => screen.getByTestId(testIds.paramsForm.field(name));

describe('ParamsForm', () => {
  beforeAll(() => {
    // Combobox virtualises its menu from the scroll element's client size, which jsdom reports as 0.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
  });
  afterAll(() => jest.restoreAllMocks());

  it('renders one field per param in schema order, labelled by title, with the description as help text', () => {
    render(<Harness schema={logGenTemplate.params} />);
    const labels = screen.getAllByTestId(/params-form-field-/).map((el) => el.getAttribute('data-testid'));
    expect(labels).toEqual(['tasks', 'taskIntervalMs', 'fail', 'level'].map(testIds.paramsForm.field));
    expect(screen.getByLabelText(/^Tasks/)).toBeInTheDocument();
    expect(within(field('fail')).getByText('Exit with code 1 after the tasks')).toBeInTheDocument();
  });

  it('falls back to the param name when there is no title, and marks required params', () => {
    const schema: ParamsSchema = { type: 'object', required: ['seed'], properties: { seed: { type: 'integer' } } };
    render(<Harness schema={schema} />);
    expect(within(field('seed')).getByText(/^seed/)).toHaveTextContent(/^seed\s*\*$/);
  });

  it('gives numbers a number input with the bounds and the default filled in', () => {
    render(<Harness schema={basicTemplate.params} />);
    const input = screen.getByLabelText('Sleep (s)');
    expect(input).toHaveAttribute('type', 'number');
    expect(input).toHaveAttribute('min', '0');
    expect(input).toHaveAttribute('max', '3600');
    expect(input).toHaveAttribute('step', '1');
    expect(input).toHaveValue(5);
  });

  it('keeps numbers typed and shows an out-of-range value inline', () => {
    const onValues = jest.fn();
    render(<Harness schema={basicTemplate.params} onValues={onValues} />);
    fireEvent.change(screen.getByLabelText('Sleep (s)'), { target: { value: '4000' } });
    expect(onValues).toHaveBeenLastCalledWith({ message: 'Hello from FlowKube', sleepSeconds: 4000 });
    expect(within(field('sleepSeconds')).getByText('Must be at most 3600')).toBeInTheDocument();
  });

  it('treats an emptied number input as missing, not 0, and shows the default the proxy will use', () => {
    const onValues = jest.fn();
    render(<Harness schema={logGenTemplate.params} onValues={onValues} />);
    fireEvent.change(screen.getByLabelText(/^Tasks/), { target: { value: '' } });
    expect(onValues.mock.calls.at(-1)[0]).not.toHaveProperty('tasks');
    expect(screen.getByLabelText(/^Tasks/)).toHaveAttribute('placeholder', '15');
    expect(within(field('tasks')).queryByText('Is required')).not.toBeInTheDocument();
  });

  it('asks for a required value that has no default', () => {
    const schema = { ...logGenTemplate.params, properties: { tasks: { type: 'integer' as const, title: 'Tasks' } } };
    render(<Harness schema={schema} />);
    expect(within(field('tasks')).getByText('Is required')).toBeInTheDocument();
  });

  it('counts characters against maxLength and refuses a long text with an error, never cutting it', () => {
    const onValues = jest.fn();
    render(<Harness schema={basicTemplate.params} onValues={onValues} />);
    const input = screen.getByLabelText(/^Message/);
    // a maxLength attribute would make the browser drop the end of a paste without a word
    expect(input).not.toHaveAttribute('maxLength');
    expect(input).toHaveValue('Hello from FlowKube');
    expect(within(field('message')).getByText('19/256')).toBeInTheDocument();
    fireEvent.change(input, { target: { value: 'hi' } });
    expect(onValues).toHaveBeenLastCalledWith({ message: 'hi', sleepSeconds: 5 });
    const long = 'x'.repeat(300);
    fireEvent.change(input, { target: { value: long } });
    expect(onValues).toHaveBeenLastCalledWith({ message: long, sleepSeconds: 5 });
    expect(within(field('message')).getByText('300/256')).toBeInTheDocument();
    expect(within(field('message')).getByText('Must be at most 256 characters')).toBeInTheDocument();
  });

  it('shows ranges, lengths and defaults before anything is typed', () => {
    render(<Harness schema={basicTemplate.params} />);
    expect(
      within(field('message')).getByText(/Up to 256 characters\. Default: Hello from FlowKube\./)
    ).toBeInTheDocument();
    expect(within(field('sleepSeconds')).getByText('A whole number from 0 to 3600. Default: 5.')).toBeInTheDocument();
  });

  it('accepts the whole declared integer range, up to 2^31-1 for a seed', () => {
    const schema: ParamsSchema = {
      type: 'object',
      properties: { seed: { type: 'integer', title: 'Random seed', minimum: 0, maximum: 2147483647 } },
    };
    const onValues = jest.fn();
    render(<Harness schema={schema} onValues={onValues} />);
    expect(within(field('seed')).getByText('A whole number from 0 to 2147483647. Optional.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Random seed'), { target: { value: '2147483647' } });
    expect(onValues).toHaveBeenLastCalledWith({ seed: 2147483647 });
    expect(within(field('seed')).queryByText(/^Must/)).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Random seed'), { target: { value: '2147483648' } });
    expect(within(field('seed')).getByText('Must be at most 2147483647')).toBeInTheDocument();
  });

  it('gives booleans a switch that yields true and false', () => {
    const onValues = jest.fn();
    render(<Harness schema={logGenTemplate.params} onValues={onValues} />);
    const toggle = screen.getByLabelText(/^Fail at the end/);
    expect(toggle).not.toBeChecked();
    fireEvent.click(toggle);
    expect(onValues.mock.calls.at(-1)[0].fail).toBe(true);
    fireEvent.click(toggle);
    expect(onValues.mock.calls.at(-1)[0].fail).toBe(false);
  });

  it('offers enum values in a select and sets the chosen one', async () => {
    const onValues = jest.fn();
    render(<Harness schema={logGenTemplate.params} onValues={onValues} />);
    const combobox = screen.getByLabelText('Level');
    expect(combobox).toHaveValue('INFO');
    await act(async () => fireEvent.click(combobox));
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['INFO', 'WARN', 'ERROR']);
    await act(async () => fireEvent.click(options[2]));
    expect(onValues.mock.calls.at(-1)[0].level).toBe('ERROR');
  });

  it('shows errors given by the caller next to the field they name', () => {
    render(
      <ParamsForm
        schema={basicTemplate.params}
        values={{ sleepSeconds: 5 }}
        errors={{ sleepSeconds: 'must be <= 3600 (from the proxy)' }}
        onChange={jest.fn()}
      />
    );
    expect(within(field('sleepSeconds')).getByText('must be <= 3600 (from the proxy)')).toBeInTheDocument();
    expect(within(field('message')).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('tells a screen reader which field is invalid and why, for every kind of control, and no more once fixed', () => {
    const errors = {
      tasks: 'Must be at least 1',
      fail: 'not on this cluster',
      level: 'must be one of INFO, WARN',
    };
    const form = (e: Record<string, string>) => (
      <ParamsForm schema={logGenTemplate.params} values={{ tasks: 0 }} errors={e} onChange={jest.fn()} />
    );
    const { rerender } = render(form(errors));
    const controls = {
      tasks: screen.getByLabelText(/^Tasks/),
      fail: screen.getByRole('switch'),
      level: screen.getByRole('combobox', { name: 'Level' }),
      taskIntervalMs: screen.getByLabelText('Interval (ms)'),
    };
    for (const name of ['tasks', 'fail', 'level'] as const) {
      expect(controls[name]).toHaveAttribute('aria-invalid', 'true');
      expect(controls[name]).toHaveAccessibleDescription(expect.stringContaining(errors[name]));
    }
    // the error, then what the field accepts
    expect(controls.tasks).toHaveAccessibleDescription(/^Must be at least 1 A whole number from 1 to/);
    expect(controls.taskIntervalMs).not.toHaveAttribute('aria-invalid');
    expect(controls.taskIntervalMs).toHaveAccessibleDescription(/^A whole number/);

    rerender(form({}));
    for (const name of ['tasks', 'fail', 'level'] as const) {
      expect(controls[name]).not.toHaveAttribute('aria-invalid');
      expect(controls[name]).not.toHaveAccessibleDescription(expect.stringContaining(errors[name]));
    }
  });

  it('makes params outside `editable` read-only', () => {
    const onValues = jest.fn();
    render(<Harness schema={logGenTemplate.params} editable={['tasks']} onValues={onValues} />);
    expect(screen.getByLabelText(/^Tasks/)).not.toHaveAttribute('readonly');
    expect(screen.getByLabelText('Interval (ms)')).toHaveAttribute('readonly');
    expect(screen.getByLabelText(/^Fail at the end/)).toBeDisabled();
    expect(screen.getByLabelText('Level')).toBeDisabled();
  });

  it('makes every param read-only when disabled', () => {
    render(<ParamsForm schema={basicTemplate.params} values={{}} errors={{}} onChange={jest.fn()} disabled />);
    expect(screen.getByLabelText(/^Message/)).toHaveAttribute('readonly');
    expect(screen.getByLabelText('Sleep (s)')).toHaveAttribute('readonly');
  });
});
