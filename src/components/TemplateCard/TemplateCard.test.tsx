import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { TemplateView } from '../../api/types';
import { testIds } from '../testIds';
import { TemplateCard } from './TemplateCard';

const template: TemplateView = {
  id: 'train',
  title: 'Train',
  description: 'On the GPU pool.',
  params: { type: 'object', properties: {} },
  timeoutSeconds: 3600,
  resources: {
    requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' },
    limits: { cpu: '2', memory: '2Gi', 'nvidia.com/gpu': '1' },
  },
  nodeSelector: { 'cloud.example.com/node-pool': 'gpu' },
};

describe('TemplateCard', () => {
  it('shows each meta item whole: GPU and node pool included', () => {
    render(<TemplateCard template={template} selected={false} onChoose={() => undefined} />);
    for (const item of ['Timeout 1h', 'GPU 1', 'Nodes gpu']) {
      expect(screen.getByText(item).tagName).toBe('SPAN');
    }
  });

  it('disables choosing a template the cluster refused, and says why', () => {
    const reason = "the cluster refused this template's Pod in a dry run: no PriorityClass with name x was found";
    const onChoose = jest.fn();
    render(<TemplateCard template={{ ...template, unavailable: reason }} selected={false} onChoose={onChoose} />);
    // Grafana keeps a button with a tooltip focusable (aria-disabled) so the reason can be read on hover
    const choose = screen.getByTestId(testIds.launch.choose('train'));
    expect(choose).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(choose);
    expect(onChoose).not.toHaveBeenCalled();
    expect(screen.getByText(`Cannot be launched: ${reason}`)).toBeInTheDocument();
  });
});
