// Loki panels more than one dashboard draws, on the ${datasource} variable of a Loki dashboard.
import { LogsSortOrder, StackingConfigBuilder, StackingMode } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, LokiQueryDirection } from '@grafana/grafana-foundation-sdk/loki';
import { PanelBuilder as LogsPanel } from '@grafana/grafana-foundation-sdk/logs';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { bottomLegend, DATASOURCE_REF } from './common.ts';

export const LOKI_DATASOURCE = { type: 'loki', uid: DATASOURCE_REF };

/** A LogQL metric query as stacked areas over time, full width, one series per legend value. */
export function stacked(id: number, title: string, description: string, expr: string, legend: string) {
  return new TimeseriesPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(LOKI_DATASOURCE)
    .unit('short')
    .span(12)
    .height(7)
    .fillOpacity(60)
    .stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
    .legend(bottomLegend())
    .withTarget(new DataqueryBuilder().expr(expr).legendFormat(legend).queryType('range').refId('A'));
}

/** The lines of a LogQL query, newest first (the last 1,000), full width, each expandable to its fields. */
export function logLines(id: number, title: string, description: string, expr: string) {
  return new LogsPanel()
    .id(id)
    .title(title)
    .description(description)
    .datasource(LOKI_DATASOURCE)
    .span(24)
    .height(14)
    .showTime(true)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(LogsSortOrder.Descending)
    .withTarget(
      new DataqueryBuilder()
        .expr(expr)
        .queryType('range')
        .direction(LokiQueryDirection.Backward)
        .maxLines(1000)
        .refId('A')
    );
}
