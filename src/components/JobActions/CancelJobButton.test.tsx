import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { captureAppEvents } from '../../testing/appEvents';
import { FakeProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { signInAs } from '../../testing/signInAs';
import { CancelJobButton } from './CancelJobButton';

const running = job({ id: 'basic-runnn', phase: 'Running', startedAt: '2026-11-26T22:00:02Z' });
const ended = { finishedAt: '2026-11-26T22:00:09Z' };

beforeEach(() => signInAs('Editor'));

describe('CancelJobButton', () => {
  it.each([
    ['Succeeded', job({ phase: 'Succeeded', ...ended })],
    ['Failed', job({ phase: 'Failed', exitCode: 1, ...ended })],
    ['Cancelled', job({ phase: 'Cancelled', ...ended })],
    ['Running with a cancel already recorded', { ...running, cancelledAt: '2026-11-26T22:00:05Z' }],
  ])('renders nothing for a job that is %s: there is nothing to cancel', (_, finished) => {
    const { container } = render(<CancelJobButton job={finished} testId="cancel" />);
    expect(container).toBeEmptyDOMElement();
    expect(screen.queryByTestId('cancel')).not.toBeInTheDocument();
  });

  it.each(['Pending', 'Running'] as const)(
    'offers an Editor to cancel a %s job, after a confirmation',
    async (phase) => {
      const toasts = captureAppEvents();
      const proxy = new FakeProxy().on('DELETE', `api/v1/jobs/${running.id}`, { status: 202, data: {} }).install();
      render(<CancelJobButton job={{ ...running, phase }} testId="cancel" />);
      const button = screen.getByTestId('cancel');
      expect(button).not.toHaveAttribute('aria-disabled', 'true');
      fireEvent.click(button);
      fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
      await waitFor(() =>
        expect(toasts).toEqual([{ type: 'alert-success', payload: ['Cancel requested', running.id] }])
      );
      expect(proxy.calls('DELETE', `api/v1/jobs/${running.id}`)).toHaveLength(1);
    }
  );

  it('shows a Viewer a disabled button that says which role cancelling needs', async () => {
    signInAs('Viewer');
    render(<CancelJobButton job={running} testId="cancel" />);
    const button = screen.getByTestId('cancel');
    expect(button).toHaveAttribute('aria-disabled', 'true');
    fireEvent.mouseEnter(button.parentElement ?? button);
    fireEvent.focus(button);
    expect(await screen.findByText(/needs the Editor role; you are Viewer/)).toBeInTheDocument();
  });

  it('goes, confirmation and all, when the job finishes while the person is asked', () => {
    const { rerender, container } = render(<CancelJobButton job={running} testId="cancel" />);
    fireEvent.click(screen.getByTestId('cancel'));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    rerender(<CancelJobButton job={{ ...running, phase: 'Succeeded', ...ended }} testId="cancel" />);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(container).toBeEmptyDOMElement();
  });
});
