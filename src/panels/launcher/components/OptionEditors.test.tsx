import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { StandardEditorContext, StandardEditorsRegistryItem } from '@grafana/data';
import { installFakeBackendSrv } from '../../../testing/fakeBackendSrv';
import { basicTemplate, logGenTemplate } from '../../../testing/fixtures';
import type { LauncherOptions } from '../types';
import { EditableParamsEditor, PresetParamsEditor, TemplateEditor } from './OptionEditors';

// Up to 8 test runs share 2 cores here; the default waits (1 s for async UI, 5 s a test) are too short under that load.

const options = (templateId?: string): LauncherOptions => ({
  templateId,
  presetParams: {},
  editableParams: [],
  buttonLabel: 'Launch',
  showRecent: 5,
});

function editorProps<T>(value: T, templateId?: string, variables: Record<string, string> = {}) {
  const context = {
    data: [],
    options: options(templateId),
    replaceVariables: (text: string) => text.replace(/\$\w+/g, (name) => variables[name] ?? name),
  } as unknown as StandardEditorContext<LauncherOptions>;
  return { value, onChange: jest.fn(), context, item: {} as StandardEditorsRegistryItem<T> };
}

describe('launcher option editors', () => {
  beforeAll(() => {
    // Combobox virtualises its menu from the scroll element's client size, which jsdom reports as 0.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(300);
  });
  afterAll(() => jest.restoreAllMocks());
  beforeEach(() => {
    installFakeBackendSrv(() => ({ status: 200, data: { items: [basicTemplate, logGenTemplate] } }));
  });

  it('offers the catalog templates by title and stores the id', async () => {
    const props = editorProps<string | undefined>(undefined);
    render(<TemplateEditor {...props} />);
    const input = await screen.findByPlaceholderText('Choose a template');
    await act(async () => fireEvent.click(input));
    const choices = await screen.findAllByRole('option');
    expect(choices.map((o) => o.textContent)).toEqual([
      expect.stringContaining('Basic'),
      expect.stringContaining('Log generator'),
    ]);
    await act(async () => fireEvent.click(choices[1]));
    expect(props.onChange).toHaveBeenCalledWith('log-gen');
  });

  it('edits presets with the template form, numbers as text so a variable fits', async () => {
    const props = editorProps({ sleepSeconds: '$wait' }, 'basic', { $wait: '30' });
    render(<PresetParamsEditor {...props} />);
    const sleep = await screen.findByLabelText(/^Sleep \(s\)/);
    expect(sleep).toHaveAttribute('type', 'text');
    expect(sleep).toHaveValue('$wait');
    fireEvent.change(sleep, { target: { value: '$other' } });
    expect(props.onChange).toHaveBeenLastCalledWith({ sleepSeconds: '$other' });
  });

  it('checks presets after interpolating the current variable values', async () => {
    render(<PresetParamsEditor {...editorProps({ sleepSeconds: '$wait' }, 'basic', { $wait: '9000' })} />);
    expect(await screen.findByText('Must be at most 3600')).toBeInTheDocument();
  });

  it('offers the template params as the ones the viewer may change', async () => {
    const props = editorProps<string[] | undefined>(['tasks'], 'log-gen');
    render(<EditableParamsEditor {...props} />);
    expect(await screen.findByText('Tasks (tasks)')).toBeInTheDocument();
    await act(async () => fireEvent.click(screen.getByRole('combobox')));
    const choices = await screen.findAllByRole('option');
    expect(choices.map((o) => o.textContent)).toEqual(
      expect.arrayContaining([expect.stringContaining('Fail at the end (fail)')])
    );
    await act(async () => fireEvent.click(choices.find((o) => o.textContent?.includes('(fail)'))!));
    expect(props.onChange).toHaveBeenLastCalledWith(['tasks', 'fail']);
  });
});
