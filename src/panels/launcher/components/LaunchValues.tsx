import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { ParamValues, TemplateView } from '../../../api/types';
import { testIds } from '../../../components/testIds';
import { paramRows } from '../../../services/jobDisplay';

interface Props {
  template: TemplateView;
  /** What the launch runs with: the values sent, then the template's defaults. */
  runWith: ParamValues;
  /** The values sent; any other in `runWith` is the template's default. */
  sent: ParamValues;
}

/** The template and every value a launch will run with, shown before the click (and in the confirmation). */
export function LaunchValues({ template, runWith, sent }: Props) {
  const s = useStyles2(getStyles);
  const rows = paramRows(runWith, template.params);
  return (
    <div data-testid={testIds.launcherPanel.values}>
      <Text variant="bodySmall" color="secondary">
        {rows.length > 0
          ? `Launches ${template.title} (${template.id}) with:`
          : `Launches ${template.title} (${template.id}) with no parameters.`}
      </Text>
      {rows.length > 0 && (
        <dl className={s.values}>
          {rows.map((row) => (
            <React.Fragment key={row.name}>
              <dt>{row.title}</dt>
              <dd>
                {row.value}
                {!Object.hasOwn(sent, row.name) && <span className={s.default}> (default)</span>}
              </dd>
            </React.Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  values: css({
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(1),
    margin: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    dt: { color: theme.colors.text.secondary },
    // a value as the worker will get it: long ones wrap rather than widen the panel
    dd: { margin: 0, overflowWrap: 'anywhere' },
  }),
  default: css({ color: theme.colors.text.secondary }),
});
