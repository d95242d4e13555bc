import { PassThrough, type Readable } from 'node:stream';
import { Log } from '@kubernetes/client-node';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { validateParams } from '../../../catalog/params.ts';
import { CONTAINER } from '../../../catalog/render-pod.ts';
import { HttpError } from '../../../http-error.ts';
import { cancelJob, purgeJob } from '../../../jobs/cancel.ts';
import { withFailureLog } from '../../../jobs/failure-log.ts';
import { findJob } from '../../../jobs/find-job.ts';
import { listPage } from '../../../jobs/list-query.ts';
import { sanitizeLaunchedBy } from '../../../jobs/launched-by.ts';
import { ANONYMOUS, StreamLimits } from '../../../jobs/stream-limits.ts';
import { requireSynced } from '../../../jobs/require-synced.ts';
import { describeKubeError } from '../../../kube/errors.ts';
import { toHttpError } from '../../../kube/http-error.ts';
import {
  DeleteJobQuery,
  ErrorBody,
  IdempotencyKey,
  JobIdParams,
  JobList,
  JobListQuery,
  JobResponse,
  LaunchRequest,
  LogQuery,
} from '../../../schemas/index.ts';
import { createAjv, describeFields } from '../../../validation/ajv.ts';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const checkKey = createAjv({ coerce: false }).compile(IdempotencyKey);

function badRequest(field: string, message: string, rejectReason?: string): HttpError {
  const fields = [{ field, message }];
  return new HttpError(400, 'bad_request', describeFields(fields), { details: { fields }, rejectReason });
}

function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) {
    return undefined;
  }
  if (typeof raw !== 'string' || !checkKey(raw)) {
    throw badRequest('Idempotency-Key', 'must be 8–128 characters of A-Z a-z 0-9 . _ : -', 'invalid');
  }
  return raw;
}

/** A container's log as text/plain, which the handler sends as a stream piped from Kubernetes. */
const LogText = Type.Unsafe<Readable>(Type.String({ description: "the worker container's output" }));

export interface JobsOptions {
  /** Followed log streams at once, in all and per user. */
  logStreams: { max: number; perUser: number };
}

const jobs: FastifyPluginAsyncTypebox<JobsOptions> = async (app, opts) => {
  app.get(
    '/jobs',
    { schema: { querystring: JobListQuery, response: { 200: JobList, ...errors } } },
    async (request) => {
      if (request.query.panel !== undefined && request.query.dashboard === undefined) {
        // panel ids repeat across dashboards: alone, one names no panel in particular
        throw badRequest('panel', 'needs dashboard (panel ids are per dashboard)');
      }
      requireSynced(app.cacheState);
      return listPage(app.jobs, request.query);
    }
  );

  app.post(
    '/jobs',
    {
      config: { launch: true },
      schema: { body: LaunchRequest, response: { 200: JobResponse, 201: JobResponse, ...errors } },
    },
    async (request, reply) => {
      const { body } = request;
      const template = app.catalog.byId.get(body.template);
      if (!template) {
        const known = app.catalog.templates.map((t) => t.id).join(', ');
        throw badRequest('template', `is not a known template (known: ${known})`, 'invalid');
      }
      const refused = app.catalog.refusal(template.id);
      if (refused) {
        throw new HttpError(409, 'conflict', `template "${template.id}" cannot be launched: ${refused}`, {
          details: { fields: [{ field: 'template', message: refused }] },
          rejectReason: 'invalid',
        });
      }
      const key = idempotencyKey(request);
      const params = validateParams(template, body.params);
      if (!params.ok) {
        throw new HttpError(400, 'bad_request', describeFields(params.fields), {
          details: { fields: params.fields },
          rejectReason: 'invalid',
        });
      }
      requireSynced(app.cacheState);
      const launchedBy = sanitizeLaunchedBy(request.headers['x-grafana-user']);
      // the connection closing before the answer is sent means the caller gave up: so does the launch
      const gone = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) {
          gone.abort();
        }
      });
      const result = await app.launcher.launch({
        template,
        params: params.values,
        launchedBy,
        source: body.source,
        idempotencyKey: key,
        signal: gone.signal,
      });
      reply.code(result.created ? 201 : 200).header('location', `/api/v1/jobs/${result.job.id}`);
      return { job: result.job };
    }
  );

  app.get(
    '/jobs/:id',
    { schema: { params: JobIdParams, response: { 200: JobResponse, ...errors } } },
    async (request) => ({ job: await withFailureLog(app, await findJob(app, request.params.id)) })
  );

  app.delete(
    '/jobs/:id',
    { schema: { params: JobIdParams, querystring: DeleteJobQuery, response: { 202: JobResponse, ...errors } } },
    async (request, reply) => {
      const { id } = request.params;
      const by = sanitizeLaunchedBy(request.headers['x-grafana-user']);
      const job = request.query.purge ? await purgeJob(app, id, by) : await cancelJob(app, id, by);
      request.log.info({ job: id, by }, request.query.purge ? 'job purged' : 'job cancelled');
      reply.code(202);
      return { job };
    }
  );

  const streams = new Set<PassThrough>();
  const followLimits = new StreamLimits(opts.logStreams);
  app.addHook('preClose', async () => {
    // a followed log would otherwise hold the server open until the worker ends
    for (const s of streams) {
      s.end();
    }
  });

  app.get(
    '/jobs/:id/logs',
    {
      schema: {
        params: JobIdParams,
        querystring: LogQuery,
        response: { 200: { content: { 'text/plain': { schema: LogText } } }, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const q = request.query;
      const job = await findJob(app, id);
      const notStarted = () =>
        new HttpError(
          409,
          'conflict',
          `job "${id}" has not started yet (${job.reason ?? job.phase}); its logs appear once it runs`
        );
      if (job.phase === 'Pending' && !job.startedAt) {
        throw notStarted();
      }
      const { kube } = app;
      let release = () => {};
      if (q.follow) {
        const held = followLimits.acquire(sanitizeLaunchedBy(request.headers['x-grafana-user'], ANONYMOUS));
        if (held instanceof HttpError) {
          throw held;
        }
        release = held;
      }
      const out = new PassThrough();
      // client-node pipes the upstream body into `out` but leaves its errors (including our own abort) unhandled,
      // which would crash the process: catch them here and end the answer instead.
      out.once('pipe', (upstream: NodeJS.ReadableStream) => upstream.on('error', () => out.end()));
      let controller: AbortController;
      try {
        controller = await kube.call('log', () =>
          new Log(kube.config).log(kube.namespace, id, CONTAINER, out, {
            follow: q.follow ?? false,
            tailLines: q.tailLines,
          })
        );
      } catch (err) {
        release();
        if (describeKubeError(err).status === 400) {
          throw notStarted();
        }
        throw toHttpError(err, { verb: 'get', resource: 'pods/log', namespace: kube.namespace, job: id });
      }
      streams.add(out);
      const cleanup = () => {
        streams.delete(out);
        release();
        controller.abort();
      };
      out.on('close', cleanup);
      out.on('end', () => {
        streams.delete(out);
        release();
      });
      reply.raw.on('close', () => {
        cleanup();
        out.destroy();
      });
      reply
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff');
      return reply.send(out);
    }
  );
};

export default jobs;
