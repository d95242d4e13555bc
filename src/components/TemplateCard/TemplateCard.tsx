import React, { useId } from 'react';
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
  const titleId = useId();
  return (
    // No `isSelected`: whenever it is defined, Card.Heading adds a radio input named only "option" that takes a Tab
    // stop (@grafana/ui 12.4 Card.mjs). The card draws Grafana's selected outline itself; the Choose button's
    // aria-pressed says which card is chosen.
    <Card className={selected ? styles.selected : undefined} data-testid={testIds.launch.templateCard(template.id)}>
      <Card.Heading>
        <span id={titleId}>{template.title}</span>
      </Card.Heading>
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
          aria-pressed={selected}
          // every card has a Choose button: the card's title tells them apart when tabbing through the page
          aria-describedby={titleId}
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
            aria-describedby={titleId}
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
  // what Card draws for `isSelected` (getCardContainerStyles in @grafana/ui CardContainer.mjs)
  selected: css({ outline: `solid 2px ${theme.colors.primary.border}` }),
  meta: css({ flexWrap: 'wrap' }),
  // each item whole: "Timeout 1h" may move to the next line, never break inside a word ("Timeou / t 1h")
  metaItem: css({ whiteSpace: 'nowrap' }),
  unavailable: css({ color: theme.colors.error.text, overflowWrap: 'anywhere' }),
});
