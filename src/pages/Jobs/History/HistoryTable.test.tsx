import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { historyEntries } from '../../../services/history';
import { jobEvents, rejectedEvent } from '../../../testing/auditEvents';
import { HistoryTable } from './HistoryTable';

const SOURCE = { dashboardUid: 'ops-board', panelId: 7, title: 'Ops / Reindex' };

describe('History rows', () => {
  it('say which launcher panel a recorded job came from, read from its audit events', () => {
    // only the finished event is left in the range: the source still comes with it
    const fromPanel = jobEvents({ id: 'log-gen-ppppp', source: SOURCE }).finished({ phase: 'Succeeded' });
    const elsewhere = jobEvents({ id: 'log-gen-eeeee' });
    const entries = historyEntries([fromPanel, elsewhere.launched]);
    expect(entries.find((e) => e.key === 'log-gen-ppppp')?.job?.source).toEqual(SOURCE);

    // Grafana renders app pages inside its router; the job links need one
    render(
      <MemoryRouter>
        <HistoryTable entries={entries} datasourceUid="loki" nowMs={Date.parse('2026-11-27T00:00:00Z')} />
      </MemoryRouter>
    );
    expect(screen.getByTestId(testIds.history.source('log-gen-ppppp'))).toHaveTextContent(
      'from panel Ops / Reindex on dashboard ops-board'
    );
    expect(screen.queryByTestId(testIds.history.source('log-gen-eeeee'))).not.toBeInTheDocument();
  });

  it('hold in each row’s detail what a narrow table has no column for, a refused launch’s reason too', () => {
    const e = jobEvents({ id: 'log-gen-fffff' });
    const failure = { reason: 'Error', message: 'Task 3 failed', exitCode: 1, lastLogLines: [] };
    const entries = historyEntries([
      e.launched,
      e.finished({ phase: 'Failed', exitCode: 1, durationSeconds: 7, failure }),
      rejectedEvent(),
    ]);
    render(
      <MemoryRouter>
        <HistoryTable entries={entries} datasourceUid="loki" nowMs={Date.parse('2026-11-27T00:00:00Z')} />
      </MemoryRouter>
    );
    const [first, second] = screen.getAllByRole('button', { name: 'Toggle row expanded' });
    fireEvent.click(first);
    fireEvent.click(second);
    const terms = (dl: HTMLElement) =>
      Object.fromEntries(
        within(dl)
          .getAllByRole('term')
          .map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])
      );
    const [failed, refused] = screen.getAllByRole('definition')[0].closest('table')!.querySelectorAll('dl');
    expect(terms(failed as HTMLElement)).toMatchObject({
      Template: 'log-gen',
      'Launched by': 'carol',
      Duration: '7s',
      Outcome: 'Error (exit 1): Task 3 failed',
      tasks: '3',
      fail: 'true',
    });
    expect(terms(refused as HTMLElement)).toMatchObject({
      Template: 'cpu-load',
      'Launched by': 'dave',
      Duration: '–',
      Reason: 'invalid: params.seconds must be <= 3600',
      seconds: '99999',
    });
  });
});
