import { createContext, useContext } from 'react';
import type { Job } from '../../api/types';
import type { ColumnLevel } from './columnLevel';
import type { JobsSelection } from './JobsTable';

/**
 * What changes often (the clock, the selection, the rows) reaches the cells through context, not through the
 * column definitions: new definitions every second would remount every cell, closing an open cancel confirmation
 * under the person's cursor. The clock has a context of its own, so its tick re-renders only the times and
 * durations, not every row's checkbox and buttons.
 */
export interface TableContextValue {
  jobs: Job[];
  selection?: JobsSelection;
  level: ColumnLevel;
  canCancel: boolean;
}

export const TableContext = createContext<TableContextValue>({ jobs: [], level: 'wide', canCancel: false });

export const useTableContext = () => useContext(TableContext);

export const NowContext = createContext(0);

export const useNowMs = () => useContext(NowContext);
