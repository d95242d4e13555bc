// layoutProblems runs inside the page (page.evaluate), so it is self-contained: no imports, no outer variables; the
// selectors reach it as page.evaluate's argument.
import type { Page } from 'playwright-core';

export interface LayoutReport {
  /** Each problem says which element and what is wrong with it. */
  problems: string[];
  /** The table's column level (data-columns). */
  columns: string | null;
  rows: number;
  buttons: number;
}

/** Where a table's parts are, as CSS selectors; the date and the actions are looked for in the row's `tr`. */
export interface TableSelectors {
  table: string;
  /** One per row, around the job id (its link, when it has one). */
  row: string;
  date: string;
  actions: string;
}

export const JOBS_TABLE: TableSelectors = {
  table: '[data-testid="data-testid jobs-table"]',
  row: '[data-testid^="data-testid jobs-row-"]',
  date: '[data-testid^="data-testid jobs-created-"]',
  actions: '[data-testid^="data-testid jobs-actions-"] :is(button, a)',
};

/** The Jobs page's History tab: a refused launch has no job, so no link and no Logs button. */
export const HISTORY_TABLE: TableSelectors = {
  table: '[data-testid="data-testid history-table"]',
  row: '[data-testid^="data-testid history-row-"]',
  date: 'time',
  actions: '[data-testid^="data-testid history-logs-"]',
};

/**
 * Measures a table of jobs (`page.evaluate(layoutProblems, JOBS_TABLE)`): every job id, date and action button is on
 * one line (its text's line boxes share one top), lies inside the viewport and inside every ancestor that clips
 * (overflow other than visible), and the page and the table have no horizontal scroll.
 */
export function layoutProblems(selectors: TableSelectors): LayoutReport {
  const problems: string[] = [];
  const viewport = document.documentElement.clientWidth;
  const scroller = document.scrollingElement ?? document.documentElement;
  if (scroller.scrollWidth > scroller.clientWidth) {
    problems.push(`the page scrolls sideways: ${scroller.scrollWidth} px of content in ${scroller.clientWidth} px`);
  }
  const table = document.querySelector<HTMLElement>(selectors.table);
  if (!table) {
    return { problems: [`no table ${selectors.table}`], columns: null, rows: 0, buttons: 0 };
  }
  for (const el of [table, ...Array.from(table.querySelectorAll<HTMLElement>('div'))]) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
      problems.push(`the table scrolls sideways: ${el.scrollWidth} px of content in ${el.clientWidth} px`);
    }
  }

  // line boxes of the element's text: an icon or a smaller font beside the text sits a few px off, a new line a line
  // height lower
  const lines = (el: Element) => {
    const tops: number[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) {
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      tops.push(
        ...Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => r.top)
      );
    }
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1]! > 4).length;
  };
  const check = (el: Element, what: string, text: boolean) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) {
      problems.push(`${what} is not shown`);
      return;
    }
    if (text && lines(el) !== 1) {
      problems.push(`${what} wraps onto ${lines(el)} lines`);
    }
    if (box.left < 0 || box.right > viewport + 0.5) {
      problems.push(
        `${what} is outside the viewport (${Math.round(box.left)}–${Math.round(box.right)} of ${viewport})`
      );
    }
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') {
        continue;
      }
      const clip = up.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5) {
        problems.push(`${what} is clipped by its ${up.tagName.toLowerCase()} (${style.overflowX})`);
        break;
      }
    }
    if (el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      problems.push(`${what} cuts its own text (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  };

  const rows = table.querySelectorAll(selectors.row);
  let buttons = 0;
  for (const row of Array.from(rows)) {
    const id = row.textContent ?? '';
    const link = row.querySelector('a');
    check(link ?? row, `id ${id}`, true);
    const tr = row.closest('tr');
    const date = tr?.querySelector(selectors.date);
    if (date) {
      check(date, `date of ${id}`, true);
    } else {
      problems.push(`no date for ${id}`);
    }
    const actions = Array.from(tr?.querySelectorAll(selectors.actions) ?? []);
    const tops = new Set<number>();
    for (const button of actions) {
      buttons++;
      const label = button.textContent?.trim() || button.getAttribute('aria-label') || '?';
      check(button, `"${label}" of ${id}`, Boolean(button.textContent?.trim()));
      tops.add(Math.round(button.getBoundingClientRect().top));
    }
    if (tops.size > 1) {
      problems.push(`the actions of ${id} wrap onto ${tops.size} rows`);
    }
  }
  return { problems, columns: table.getAttribute('data-columns'), rows: rows.length, buttons };
}

/**
 * The layout of the table on `page` once it has settled: the ResizeObserver that picks the columns reports after
 * layout, so two frames later the table shows the columns for its width.
 */
export async function measureLayout(page: Page, selectors: TableSelectors): Promise<LayoutReport> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
  );
  return page.evaluate(layoutProblems, selectors);
}
