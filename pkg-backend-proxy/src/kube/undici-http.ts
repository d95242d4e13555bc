import {
  type PromiseHttpLibrary,
  type RequestContext,
  ResponseContext,
  SelfDecodingBody,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import { StringDecoder } from 'node:string_decoder';
import { type Dispatcher, request } from 'undici';

/**
 * client-node's generated API clients send through `fetch`, whose WHATWG Request/Headers/stream machinery costs
 * more CPU per call than the call itself on a busy proxy. This sends the same request (URL, method, headers, body,
 * abort signal, the pooled dispatcher) with undici's plain `request` and hands the generated code the status,
 * headers and whole body, which it then deserialises and turns into ApiExceptions exactly as before. Only these
 * clients use it: watch and log streams stay on client-node's fetch.
 */
/** What every Kubernetes API call may take at most, unless configured (FLOWKUBE_KUBE_TIMEOUT_MS). */
export const DEFAULT_KUBE_TIMEOUT_MS = 10_000;

/** A call that got no (complete) answer in time; errors.ts counts its code as "no answer" (status 0). */
export class KubeTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number, cause: unknown) {
    super(`the Kubernetes API did not answer within ${ms} ms`, { cause });
    this.name = 'KubeTimeoutError';
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends a prepared request context (auth already applied) and reads the whole answer, all within `timeoutMs`: the
 * headers, each pause in the body and the whole exchange are bounded, so a silent API server cannot hold a caller.
 */
export async function sendContext<B = Buffer>(
  context: RequestContext,
  timeoutMs = DEFAULT_KUBE_TIMEOUT_MS,
  read: (body: Body) => Promise<B> = readBuffer as (body: Body) => Promise<B>
): Promise<{ status: number; headers: Record<string, string>; body: B }> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const caller = context.getSignal();
  try {
    const response = await request(context.getUrl(), {
      method: context.getHttpMethod() as Dispatcher.HttpMethod,
      headers: context.getHeaders(),
      body: context.getBody() as string | undefined,
      signal: caller ? AbortSignal.any([caller, deadline]) : deadline,
      dispatcher: context.getDispatcher(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    // read at once, so the connection goes back to the pool even if a caller never looks at the body
    const body = await read(response.body);
    return { status: response.statusCode, headers, body };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (deadline.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
      throw new KubeTimeoutError(timeoutMs, err);
    }
    throw err;
  }
}

type Body = Dispatcher.ResponseData['body'];

const readBuffer = async (body: Body): Promise<Buffer> => Buffer.from(await body.arrayBuffer());

/**
 * The body as text, decoded as it arrives. A list page is megabytes: read whole into one native buffer, each page
 * is a block glibc serves from its brk heap once the first freed one has raised its mmap threshold, and that heap is
 * not given back, which was about 60 MB of the proxy's RSS after a 100,000-Pod sync. Decoded per socket chunk, the
 * page lives in V8's heap instead, where the collector returns it.
 */
export async function readText(body: Body): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of body) {
    text += decoder.write(chunk as Buffer);
  }
  return text + decoder.end();
}

/** The generated clients' transport, with `timeoutMs()` read per call so a config can change it after creation. */
export function undiciHttpApi(timeoutMs: () => number) {
  const library: PromiseHttpLibrary = {
    async send(context: RequestContext): Promise<ResponseContext> {
      const { status, headers, body } = await sendContext(context, timeoutMs());
      return new ResponseContext(status, headers, new SelfDecodingBody(Promise.resolve(body)));
    },
  };
  return wrapHttpLibrary(library);
}
