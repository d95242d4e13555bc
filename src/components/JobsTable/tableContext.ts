import { createContext, useContext } from 'react';
import type { Job } from '../../api/types';
import type { ColumnLevel } from './columnLevel';
import type { JobsSelection } from './JobsTable';

/**
 * What changes often (the clock, the selection, the rows) reaches the cells through context, not through the
 * column definitions: new definitions every second would remount every cell, closing an open cancel confirmation
 * under the person's cursor.
 */
export interface TableContextValue {
  nowMs: number;
  jobs: Job[];
  selection?: JobsSelection;
  level: ColumnLevel;
  canCancel: boolean;
}

export const TableContext = createContext<TableContextValue>({ nowMs: 0, jobs: [], level: 'wide', canCancel: false });

export const useTableContext = () => useContext(TableContext);
