import type { Job, Schedule, TemplateView } from '../api/types';

/** Templates shaped like the default catalog (worker env contract in the brief). */
export const basicTemplate: TemplateView = {
  id: 'basic',
  title: 'Basic',
  description: 'Prints a message and sleeps.',
  timeoutSeconds: 3900,
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      message: {
        type: 'string',
        title: 'Message',
        description: 'Printed by the worker',
        maxLength: 256,
        default: 'Hello from FlowKube',
      },
      sleepSeconds: { type: 'integer', title: 'Sleep (s)', minimum: 0, maximum: 3600, default: 5 },
    },
  },
};

export const logGenTemplate: TemplateView = {
  id: 'log-gen',
  title: 'Log generator',
  description: 'Writes JSON log lines.',
  timeoutSeconds: 3600,
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
  params: {
    type: 'object',
    required: ['tasks'],
    properties: {
      tasks: { type: 'integer', title: 'Tasks', minimum: 1, maximum: 1000, default: 15 },
      taskIntervalMs: { type: 'integer', title: 'Interval (ms)', minimum: 0, maximum: 60000, default: 500 },
      fail: { type: 'boolean', title: 'Fail at the end', description: 'Exit with code 1 after the tasks' },
      level: { type: 'string', title: 'Level', enum: ['INFO', 'WARN', 'ERROR'], default: 'INFO' },
    },
  },
};

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'basic-x7k2p',
    template: 'basic',
    params: {},
    phase: 'Pending',
    launchedBy: 'alice',
    createdAt: '2026-11-26T22:00:00Z',
    schedule: null,
    source: null,
    ...overrides,
  };
}

export function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 'basic-nightly',
    template: 'basic',
    params: { message: 'nightly', sleepSeconds: 5 },
    schedule: '0 2 * * *',
    timeZone: 'UTC',
    description: 'At 02:00 AM',
    suspend: false,
    concurrencyPolicy: 'Forbid',
    createdBy: 'alice',
    createdAt: '2026-12-01T10:00:00Z',
    nextRunAt: '2026-12-02T02:00:00Z',
    active: [],
    ...overrides,
  };
}
