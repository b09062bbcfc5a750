import {
  codeColumn,
  findColumn,
  operationColumn,
  type TableModel,
} from '../../def-metric/index.js';

/** The columns of a def_metric table that the analytics read; optional ones may be absent. */
export interface HistoryColumns {
  readonly table: string;
  /** The code column (first primary-key column, e.g. `WorkflowCode`). */
  readonly code: string;
  /** `OperationName`, or the code column again for tables without it. */
  readonly operation: string;
  readonly time: string;
  readonly elapsed: string;
  readonly guid: string | undefined;
  readonly success: string | undefined;
  readonly memory: string | undefined;
  readonly items: string | undefined;
  readonly rate: string | undefined;
}

const TIME = 'AxionImportTime';
const ELAPSED = 'ElapsedSeconds';

/** Finds the analytics columns of `table`; throws when it lacks the time or elapsed column. */
export function historyColumns(table: TableModel): HistoryColumns {
  for (const needed of [TIME, ELAPSED]) {
    if (!findColumn(table, needed)) {
      throw new Error(`the analytics need column ${needed}, which ${table.name} does not have`);
    }
  }
  const optional = (name: string) => (findColumn(table, name) ? name : undefined);
  return {
    table: table.name,
    code: codeColumn(table),
    operation: operationColumn(table),
    time: TIME,
    elapsed: ELAPSED,
    guid: optional('AxionImportGuid'),
    success: optional('OperationSuccess'),
    memory: optional('MemoryUsageMB'),
    items: optional('ItemsProcessed'),
    rate: optional('ItemsPerSecond'),
  };
}
