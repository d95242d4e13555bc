import type { TemplateView } from '../api/types';
import { runningText, templateMeta } from './templateMeta';

const base: TemplateView = {
  id: 'etl',
  title: 'ETL',
  description: '',
  params: { type: 'object', properties: {} },
  timeoutSeconds: 3600,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
};

describe('templateMeta', () => {
  it('shows timeout and resources of a plain template', () => {
    expect(templateMeta(base)).toEqual(['Timeout 1h', 'CPU 100m–1', 'Memory 64Mi–128Mi']);
  });

  it('shows the preset choices, the GPUs and the node pool the template pins', () => {
    const gpu: TemplateView = {
      ...base,
      maxConcurrent: 2,
      resources: {
        requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' },
        limits: { cpu: '2', memory: '2Gi', 'nvidia.com/gpu': '1', 'amd.com/gpu': '2' },
      },
      resourcePresets: { param: 'size', presets: { small: base.resources, large: base.resources } },
      nodeSelector: { 'kubernetes.io/os': 'linux', 'cloud.example.com/node-pool': 'gpu' },
    };
    expect(templateMeta(gpu)).toEqual([
      'Timeout 1h',
      'Size: small | large',
      'CPU 1–2',
      'Memory 1Gi–2Gi',
      'GPU 1',
      'GPU 2 (amd.com/gpu)',
      'Nodes gpu',
      'At most 2 at once',
    ]);
  });
});

describe('runningText', () => {
  it('counts the active jobs, against the limit when there is one', () => {
    expect([runningText(0), runningText(0, 3), runningText(2), runningText(2, 3), runningText(3, 3)]).toEqual([
      'none running',
      'none running',
      '2 running',
      '2 of 3 running',
      '3 of 3 running',
    ]);
  });
});
