import React from 'react';
import { render, screen } from '@testing-library/react';
import { testIds } from '../testIds';
import { FailureSummary } from './FailureSummary';

describe('FailureSummary', () => {
  it('shows reason, exit code, message and the last error lines exactly as written', () => {
    const line = '{"level":"ERROR","msg":"task failed","seed":9007199254740993123}';
    render(<FailureSummary failure={{ reason: 'Error', message: 'bad DB_URL', exitCode: 1, lastLogLines: [line] }} />);
    const box = screen.getByTestId(testIds.jobDetail.failure);
    expect(box).toHaveTextContent('Error (exit 1)');
    expect(box).toHaveTextContent('bad DB_URL');
    expect(screen.getByLabelText('Last error lines of the log').textContent).toBe(line);
  });

  it('says who cancelled, without an exit code or an error look', () => {
    render(
      <FailureSummary failure={{ reason: 'Cancelled', message: 'Cancelled by bob', exitCode: 137, lastLogLines: [] }} />
    );
    const box = screen.getByTestId(testIds.jobDetail.failure);
    expect(box).toHaveTextContent('Cancelled by bob');
    expect(box).not.toHaveTextContent('137');
    expect(screen.queryByLabelText('Last error lines of the log')).toBeNull();
  });
});
