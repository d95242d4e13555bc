import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Card, TextLink, useStyles2 } from '@grafana/ui';
import type { TemplateView } from '../../api/types';
import { runningText, templateMeta } from '../../services/templateMeta';
import { activeJobsUrl } from '../../utils/utils.routing';
import { testIds } from '../testIds';

interface Props {
  template: TemplateView;
  /** Its jobs active now (GET /jobs' `active`); undefined while not known. */
  active?: number;
  selected: boolean;
  onChoose: () => void;
  /** Opens the schedule form for this template instead of the launch form. */
  onSchedule?: () => void;
}

export function TemplateCard({ template, active, selected, onChoose, onSchedule }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <Card isSelected={selected} data-testid={testIds.launch.templateCard(template.id)}>
      <Card.Heading>{template.title}</Card.Heading>
      <Card.Description>{template.description}</Card.Description>
      {/* Card.Meta is a flex row that does not wrap: items wrap as wholes instead, within the card */}
      <Card.Meta className={styles.meta}>
        {templateMeta(template).map((item) => (
          <span key={item} className={styles.metaItem}>
            {item}
          </span>
        ))}
        {active !== undefined && (
          // Pending ones count too: the limit holds both, and a Pending job is about to run
          <span
            className={styles.metaItem}
            title="Pending or running now"
            data-testid={testIds.launch.running(template.id)}
          >
            {active === 0 ? (
              runningText(active)
            ) : (
              <TextLink href={activeJobsUrl(template.id)} variant="bodySmall">
                {runningText(active, template.maxConcurrent)}
              </TextLink>
            )}
          </span>
        )}
      </Card.Meta>
      {template.unavailable && (
        <Card.Description>
          <span className={styles.unavailable}>Cannot be launched: {template.unavailable}</span>
        </Card.Description>
      )}
      <Card.Actions>
        <Button
          variant={selected ? 'primary' : 'secondary'}
          icon={selected ? 'check' : 'arrow-right'}
          onClick={onChoose}
          disabled={template.unavailable !== undefined}
          tooltip={template.unavailable}
          data-testid={testIds.launch.choose(template.id)}
        >
          {selected ? 'Chosen' : 'Choose'}
        </Button>
        {onSchedule && (
          <Button
            variant="secondary"
            fill="outline"
            icon="clock-nine"
            onClick={onSchedule}
            data-testid={testIds.launch.schedule(template.id)}
          >
            Schedule…
          </Button>
        )}
      </Card.Actions>
    </Card>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  meta: css({ flexWrap: 'wrap' }),
  // each item whole: "Timeout 1h" may move to the next line, never break inside a word ("Timeou / t 1h")
  metaItem: css({ whiteSpace: 'nowrap' }),
  unavailable: css({ color: theme.colors.error.text, overflowWrap: 'anywhere' }),
});
