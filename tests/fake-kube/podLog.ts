// pods/{name}/log: text/plain, tailLines/sinceSeconds/sinceTime/timestamps/limitBytes, and follow=true streaming
// until the container ends; a container that has not started is a 400 in the kubelet's words.
import type { ServerResponse } from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';
import { intParam, isStatus, sendStatus } from './http.ts';
import { formatLine, type LogBuffer } from './logs.ts';
import { badRequest, notFound } from './status.ts';

export function servePodLog(
  res: ServerResponse,
  pod: V1Pod | undefined,
  name: string,
  query: Record<string, string>,
  logOf: (container: string) => LogBuffer | string,
  streams: Set<ServerResponse>
): void {
  if (!pod) {
    return sendStatus(res, notFound('pods', name));
  }
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  let container = query.container;
  if (!container) {
    if (names.length !== 1) {
      return sendStatus(
        res,
        badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`)
      );
    }
    container = names[0] ?? '';
  } else if (!names.includes(container)) {
    return sendStatus(res, badRequest(`container ${container} is not valid for pod ${name}`));
  }
  const tailLines = intParam(query, 'tailLines');
  const sinceSeconds = intParam(query, 'sinceSeconds');
  const limitBytes = intParam(query, 'limitBytes');
  for (const value of [tailLines, sinceSeconds, limitBytes]) {
    if (isStatus(value)) {
      return sendStatus(res, value);
    }
  }
  const buffer = logOf(container);
  if (typeof buffer === 'string') {
    return sendStatus(res, badRequest(buffer));
  }
  const timestamps = query.timestamps === 'true';
  const follow = query.follow === 'true' || query.follow === '1';
  let budget = typeof limitBytes === 'number' && limitBytes > 0 ? limitBytes : Infinity;
  const emit = (text: string): boolean => {
    const bytes = Buffer.from(text);
    if (bytes.length >= budget) {
      res.end(bytes.subarray(0, budget));
      return false;
    }
    budget -= bytes.length;
    res.write(bytes);
    return true;
  };
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.flushHeaders();
  const sinceTime = query.sinceTime ? Date.parse(query.sinceTime) : NaN;
  const lines = buffer.select({
    tailLines: typeof tailLines === 'number' ? tailLines : undefined,
    sinceSeconds: typeof sinceSeconds === 'number' ? sinceSeconds : undefined,
    sinceTime: Number.isNaN(sinceTime) ? undefined : sinceTime,
  });
  for (const line of lines) {
    if (!emit(formatLine(line, timestamps))) {
      return;
    }
  }
  if (!follow || buffer.ended) {
    res.end();
    return;
  }
  streams.add(res);
  const stop = buffer.follow((line) => {
    if (line === null || !emit(formatLine(line, timestamps))) {
      if (!res.writableEnded) {
        res.end();
      }
    }
  });
  res.on('close', () => {
    stop();
    streams.delete(res);
  });
}
