import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Card, useStyles2 } from '@grafana/ui';
import type { TemplateView } from '../../api/types';
import { templateMeta } from '../../services/templateMeta';
import { testIds } from '../testIds';

interface Props {
  template: TemplateView;
  selected: boolean;
  onChoose: () => void;
  /** Opens the schedule form for this template instead of the launch form. */
  onSchedule?: () => void;
}

export function TemplateCard({ template, selected, onChoose, onSchedule }: Props) {
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
