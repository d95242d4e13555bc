import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { HttpError } from '../../src/http-error.ts';
import { kubeHttpError, toHttpError } from '../../src/kube/http-error.ts';

const NS = 'flowkube-jobs';
const create = { verb: 'create', resource: 'pods', namespace: NS };
const get = { verb: 'get', resource: 'pods', namespace: NS, job: 'basic-x2x2x' };

const status = (code: number, message: string, extra: Record<string, unknown> = {}) =>
  new ApiException(code, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', code, message, ...extra }), {});

function answer(err: HttpError) {
  return {
    status: err.statusCode,
    code: err.code,
    message: err.message,
    headers: err.headers,
    reason: err.rejectReason,
  };
}

test('a ResourceQuota refusal is 429 limit_exceeded with the quota and Retry-After, not an RBAC problem', () => {
  // the message kube-apiserver's ResourceQuota admission gives (see src/kube/http-error.ts for the source)
  const quota =
    'pods "basic-x2x2x" is forbidden: exceeded quota: flowkube-jobs-quota, requested: pods=1, used: pods=20, limited: pods=20';
  const err = toHttpError(status(403, quota, { reason: 'Forbidden' }), create);
  assert.deepEqual(answer(err), {
    status: 429,
    code: 'limit_exceeded',
    message:
      'the namespace\'s ResourceQuota "flowkube-jobs-quota" is used up (requested: pods=1, used: pods=20, limited: pods=20); wait for a job to finish or cancel one',
    headers: { 'retry-after': '10' },
    reason: 'quota',
  });
  assert.deepEqual(err.details, { retryAfterSeconds: 10, limit: 'quota:flowkube-jobs-quota' });
});

test('an RBAC 403 stays kube_forbidden and names the missing permission; a 401 names the credentials', () => {
  const rbac =
    'pods is forbidden: User "system:serviceaccount:flowkube-admin:flowkube-proxy" cannot create resource "pods" in API group "" in the namespace "flowkube-jobs"';
  const forbidden = toHttpError(status(403, rbac), create);
  assert.equal(forbidden.statusCode, 502);
  assert.equal(forbidden.code, 'kube_forbidden');
  assert.match(
    forbidden.message,
    /\(system:serviceaccount:flowkube-admin:flowkube-proxy\): it needs RBAC permission to create pods in namespace "flowkube-jobs"$/
  );
  const leases = kubeHttpError({ status: 403 }, { verb: 'create', resource: 'leases', namespace: NS });
  assert.match(leases.message, /permission to create leases in namespace "flowkube-jobs"/);
  // client-node drops the body of a 401
  const unauthorized = toHttpError(new ApiException(401, 'Unauthorized', undefined, {}), get);
  assert.deepEqual([unauthorized.statusCode, unauthorized.code], [502, 'kube_forbidden']);
  assert.match(unauthorized.message, /credentials \(401\)/);
});

test('404: the job is not found when the call was about one; otherwise the namespace is suspect', () => {
  assert.deepEqual([toHttpError(status(404, 'pods "basic-x2x2x" not found'), get)].map(answer)[0], {
    status: 404,
    code: 'not_found',
    message: 'job "basic-x2x2x" not found',
    headers: {},
    reason: undefined,
  });
  const ns = kubeHttpError({ status: 404, message: 'namespaces "flowkube-jobs" not found' }, create);
  assert.equal(ns.statusCode, 502);
  assert.equal(
    ns.message,
    'Kubernetes answered 404: namespaces "flowkube-jobs" not found (does namespace "flowkube-jobs" exist?)'
  );
});

test('422 is a 400 carrying the causes; 5xx, 429 and no answer are 503 with Retry-After', () => {
  const causes = [{ reason: 'FieldValueInvalid', message: 'bad', field: 'metadata.name' }];
  const invalid = kubeHttpError({ status: 422, message: 'Pod "x" is invalid', causes }, create);
  assert.deepEqual([invalid.statusCode, invalid.code, invalid.details], [400, 'bad_request', { causes }]);
  assert.equal(invalid.message, 'Kubernetes rejected the create of pods: Pod "x" is invalid');
  // a schedule's CronJob is named as what it is, by the same mapping
  const cronJob = kubeHttpError(
    { status: 422, message: 'CronJob.batch "nightly" is invalid' },
    { verb: 'patch', resource: 'cronjobs', namespace: NS }
  );
  assert.equal(cronJob.message, 'Kubernetes rejected the patch of cronjobs: CronJob.batch "nightly" is invalid');
  for (const f of [{ status: 0 }, { status: 429 }, { status: 500 }, { status: 503 }]) {
    const err = kubeHttpError(f, { ...create, attempts: 4 });
    assert.deepEqual([err.statusCode, err.code, err.headers], [503, 'kube_unavailable', { 'retry-after': '5' }]);
    assert.match(err.message, /did not answer the create of pods after 4 attempts/);
  }
  assert.match(
    kubeHttpError({ status: 0 }, get).message,
    /^the Kubernetes API did not answer the get of pods \(last: no answer\)/
  );
  const odd = kubeHttpError({ status: 418 }, get);
  assert.deepEqual([odd.statusCode, odd.message], [502, 'Kubernetes answered 418 to the get of pods']);
});

test("the proxy's own answers pass through unchanged", () => {
  const own = new HttpError(409, 'conflict', 'already');
  assert.equal(toHttpError(own, create), own);
});
