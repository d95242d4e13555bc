import React from 'react';
import { Button, Card } from '@grafana/ui';
import type { TemplateView } from '../../api/types';
import { formatDuration } from '../../services/jobDisplay';
import { testIds } from '../testIds';

interface Props {
  template: TemplateView;
  selected: boolean;
  onChoose: () => void;
}

export function TemplateCard({ template, selected, onChoose }: Props) {
  const { requests, limits } = template.resources;
  return (
    <Card isSelected={selected} data-testid={testIds.launch.templateCard(template.id)}>
      <Card.Heading>{template.title}</Card.Heading>
      <Card.Description>{template.description}</Card.Description>
      <Card.Meta>
        {[
          `Timeout ${formatDuration(template.timeoutSeconds)}`,
          `CPU ${requests.cpu}–${limits.cpu}`,
          `Memory ${requests.memory}–${limits.memory}`,
          ...(template.maxConcurrent ? [`At most ${template.maxConcurrent} at once`] : []),
        ]}
      </Card.Meta>
      <Card.Actions>
        <Button
          variant={selected ? 'primary' : 'secondary'}
          icon={selected ? 'check' : 'arrow-right'}
          onClick={onChoose}
          data-testid={testIds.launch.choose(template.id)}
        >
          {selected ? 'Chosen' : 'Choose'}
        </Button>
      </Card.Actions>
    </Card>
  );
}
