import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { fireEvent, render, screen, within } from '@testing-library/react';
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
  it('marks the chosen card on its Choose button, with no radio to tab to', () => {
    const { rerender } = render(<TemplateCard template={template} selected={false} onChoose={() => undefined} />);
    const choose = screen.getByTestId(testIds.launch.choose('train'));
    expect(choose).toHaveAttribute('aria-pressed', 'false');
    expect(choose).toHaveAccessibleDescription('Train');
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();

    rerender(<TemplateCard template={template} selected onChoose={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Chosen', pressed: true })).toBe(
      screen.getByTestId(testIds.launch.choose('train'))
    );
    // Grafana's Card adds its radio for any defined `isSelected`, so a chosen card is where it would show
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

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

  it('shows how many of its jobs run now, against its limit, linked to them on the Jobs page', () => {
    const limited = { ...template, maxConcurrent: 3 };
    const { rerender } = render(
      <MemoryRouter>
        <TemplateCard template={limited} active={2} selected={false} onChoose={() => undefined} />
      </MemoryRouter>
    );
    const running = screen.getByTestId(testIds.launch.running('train'));
    expect(running.tagName).toBe('SPAN');
    expect(screen.getByText('At most 3 at once')).toBeInTheDocument();
    expect(within(running).getByRole('link', { name: '2 of 3 running' })).toHaveAttribute(
      'href',
      '/a/flowkube-jobs-app/jobs?template=train&phase=active'
    );

    // none: nothing to link to
    rerender(
      <MemoryRouter>
        <TemplateCard template={limited} active={0} selected={false} onChoose={() => undefined} />
      </MemoryRouter>
    );
    expect(screen.getByTestId(testIds.launch.running('train'))).toHaveTextContent('none running');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();

    // not known yet (or the count failed): no item rather than a wrong one
    rerender(
      <MemoryRouter>
        <TemplateCard template={limited} selected={false} onChoose={() => undefined} />
      </MemoryRouter>
    );
    expect(screen.queryByTestId(testIds.launch.running('train'))).not.toBeInTheDocument();
  });
});
