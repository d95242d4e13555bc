import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import { testIds } from '../../../components/testIds';
import { historyEntries } from '../../../services/history';
import { jobEvents } from '../../../testing/auditEvents';
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
});
