import React from 'react';
import { render, screen } from '@testing-library/react';
import { ApiError } from '../../api/client';
import type { TemplateView } from '../../api/types';
import { basicTemplate, logGenTemplate } from '../../testing/fixtures';
import { testIds } from '../testIds';
import { TemplateForm } from './TemplateForm';

const noParams: TemplateView = { ...basicTemplate, id: 'plain', params: { type: 'object', properties: {} } };

interface FormProps {
  template: TemplateView;
  error?: ApiError;
  fieldErrors?: Record<string, string>;
  disabled?: boolean;
  focusRequest?: number;
}

function Form(props: FormProps) {
  return (
    <TemplateForm
      title={`Launch ${props.template.title}`}
      template={props.template}
      values={{}}
      onChange={() => undefined}
      invalid={{}}
      refused={{ error: props.error, fieldErrors: props.fieldErrors ?? {} }}
      disabled={props.disabled ?? false}
      permission={{ allowed: true }}
      permissionNote={{ title: 'Launching is disabled', testId: 'data-testid note' }}
      onSubmit={() => undefined}
      focusRequest={props.focusRequest}
      actions={<button type="submit">Launch</button>}
    />
  );
}

describe('TemplateForm focus', () => {
  it('goes to the heading of a form without fields', () => {
    render(<Form template={noParams} focusRequest={1} />);
    expect(screen.getByRole('heading', { name: 'Launch Basic' })).toHaveFocus();
  });

  it('goes to the reason of a refusal that names no field: the banner, or the alert for the request as a whole', () => {
    const { rerender } = render(<Form template={basicTemplate} focusRequest={1} />);
    expect(screen.getByRole('textbox')).toHaveFocus();

    rerender(<Form template={basicTemplate} error={new ApiError(409, 'conflict', 'already exists')} />);
    expect(screen.getByTestId(testIds.proxyError.banner).parentElement).toHaveFocus();

    // a 400 about the request, not one of its fields: the alert says it, and no field is marked
    screen.getByRole('textbox').focus();
    const whole = new ApiError(400, 'bad_request', 'unknown template', [{ field: 'template', message: 'unknown' }]);
    rerender(<Form template={basicTemplate} error={whole} fieldErrors={{ template: 'unknown' }} />);
    expect(screen.getByRole('alert', { name: 'The proxy rejected the parameters' }).parentElement).toHaveFocus();
  });

  it('goes to the first field in error once the form is enabled again, even a switch', () => {
    const refused = new ApiError(400, 'bad_request', 'Invalid parameters', [
      { field: 'params.fail', message: 'not on this cluster' },
      { field: 'params.level', message: 'not on this cluster' },
    ]);
    const errors = { fail: 'not on this cluster', level: 'not on this cluster' };
    // the answer comes while the form is still disabled for the request: a disabled switch cannot take focus
    const { rerender } = render(<Form template={logGenTemplate} error={refused} fieldErrors={errors} disabled />);
    const fail = screen.getByRole('switch');
    expect(fail).toBeDisabled();
    expect(fail).not.toHaveFocus();

    rerender(<Form template={logGenTemplate} error={refused} fieldErrors={errors} />);
    expect(fail).toHaveFocus();
    // and what a screen reader says of it there: invalid, and the proxy's reason
    expect(fail).toHaveAttribute('aria-invalid', 'true');
    expect(fail).toHaveAccessibleDescription('not on this cluster');
    // once per refusal: focus moved on by the person stays where they put it
    screen.getAllByRole('spinbutton')[0].focus();
    rerender(<Form template={logGenTemplate} error={refused} fieldErrors={errors} disabled />);
    rerender(<Form template={logGenTemplate} error={refused} fieldErrors={errors} />);
    expect(screen.getAllByRole('spinbutton')[0]).toHaveFocus();
  });
});
