import React from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { JobsPage } from '../../hooks/useJobsPage';

/**
 * Previous and next through the proxy's `continue` cursors (a cursor walk has no page numbers to jump to), with
 * where the page sits among the jobs that match (`total`, left out when unknown rather than guessed).
 */
export function Pager({ page, pageSize, total }: { page: JobsPage; pageSize: number; total?: number }) {
  const first = page.pageIndex * pageSize + 1;
  const last = page.pageIndex * pageSize + page.rows.length;
  const of = total === undefined ? '' : ` of ${total}`;
  return (
    <Stack direction="row" alignItems="center" justifyContent="flex-end" gap={2}>
      <Text color="secondary" data-testid={testIds.jobs.pageInfo}>
        {page.rows.length === 0 ? `0${of}` : `${first}–${last}${of}`}
      </Text>
      <Button
        size="sm"
        variant="secondary"
        icon="angle-left"
        disabled={page.pageIndex === 0}
        data-testid={testIds.jobs.previous}
        onClick={page.previous}
      >
        Previous
      </Button>
      <Button
        size="sm"
        variant="secondary"
        icon="angle-right"
        disabled={!page.hasNext}
        data-testid={testIds.jobs.next}
        onClick={page.next}
      >
        Next
      </Button>
    </Stack>
  );
}
