import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { sanitizeLaunchedBy } from '../../../jobs/launched-by.ts';
import {
  CreateScheduleRequest,
  ErrorBody,
  IdempotencyKey,
  RunNowResponse,
  ScheduleIdParams,
  ScheduleList,
  ScheduleResponse,
  UpdateScheduleRequest,
} from '../../../schemas/index.ts';
import { ScheduleService } from '../../../schedules/schedule-service.ts';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const KeyHeader = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });

/**
 * Schedules are CronJobs in FLOWKUBE_NAMESPACE: Kubernetes runs them, the proxy only creates, changes and lists
 * them (from a watch-fed cache) and runs one now on request.
 */
const schedules: FastifyPluginAsyncTypebox<{ maxSchedules: number; retentionSeconds: number }> = async (app, opts) => {
  const service = new ScheduleService(app, opts);

  app.get('/schedules', { schema: { response: { 200: ScheduleList, ...errors } } }, async () => {
    service.requireSynced();
    return { items: service.list() };
  });

  app.post(
    '/schedules',
    {
      schema: {
        headers: KeyHeader,
        body: CreateScheduleRequest,
        response: { 200: ScheduleResponse, 201: ScheduleResponse, ...errors },
      },
    },
    async (request, reply) => {
      const createdBy = sanitizeLaunchedBy(request.headers['x-grafana-user']);
      const result = await service.create(request.body, createdBy, request.headers['idempotency-key']);
      if (result.created) {
        app.audit.schedule('schedule_created', result.schedule, createdBy);
      }
      reply.code(result.created ? 201 : 200).header('location', `/api/v1/schedules/${result.schedule.id}`);
      return { schedule: result.schedule };
    }
  );

  app.get(
    '/schedules/:id',
    { schema: { params: ScheduleIdParams, response: { 200: ScheduleResponse, ...errors } } },
    async (request) => {
      service.requireSynced();
      return { schedule: service.view(service.get(request.params.id)) };
    }
  );

  app.patch(
    '/schedules/:id',
    {
      schema: { params: ScheduleIdParams, body: UpdateScheduleRequest, response: { 200: ScheduleResponse, ...errors } },
    },
    async (request) => {
      service.requireSynced();
      const schedule = await service.update(request.params.id, request.body);
      const by = sanitizeLaunchedBy(request.headers['x-grafana-user']);
      app.audit.schedule('schedule_updated', schedule, by, Object.keys(request.body));
      return { schedule };
    }
  );

  app.delete(
    '/schedules/:id',
    { schema: { params: ScheduleIdParams, response: { 200: ScheduleResponse, ...errors } } },
    async (request) => {
      service.requireSynced();
      const schedule = await service.delete(request.params.id);
      app.audit.schedule('schedule_deleted', schedule, sanitizeLaunchedBy(request.headers['x-grafana-user']));
      return { schedule };
    }
  );

  app.post(
    '/schedules/:id/run',
    { schema: { params: ScheduleIdParams, response: { 201: RunNowResponse, ...errors } } },
    async (request, reply) => {
      service.requireSynced();
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const job = await service.runNow(request.params.id, gone.signal);
      app.audit.runNow(job, sanitizeLaunchedBy(request.headers['x-grafana-user']));
      reply.code(201).header('location', `/api/v1/jobs/${job.id}`);
      return { job };
    }
  );
};

export default schedules;
