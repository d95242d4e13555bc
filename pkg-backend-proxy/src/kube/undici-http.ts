import {
  type PromiseHttpLibrary,
  type RequestContext,
  ResponseContext,
  SelfDecodingBody,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import { type Dispatcher, request } from 'undici';

/**
 * client-node's generated API clients send through `fetch`, whose WHATWG Request/Headers/stream machinery costs
 * more CPU per call than the call itself on a busy proxy. This sends the same request (URL, method, headers, body,
 * abort signal, the pooled dispatcher) with undici's plain `request` and hands the generated code the status,
 * headers and whole body, which it then deserialises and turns into ApiExceptions exactly as before. Only these
 * clients use it: watch and log streams stay on client-node's fetch.
 */
/** Sends a prepared request context (auth already applied) and reads the whole answer. */
export async function sendContext(
  context: RequestContext
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const response = await request(context.getUrl(), {
    method: context.getHttpMethod() as Dispatcher.HttpMethod,
    headers: context.getHeaders(),
    body: context.getBody() as string | undefined,
    signal: context.getSignal(),
    dispatcher: context.getDispatcher(),
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  // read at once, so the connection goes back to the pool even if a caller never looks at the body
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers, body };
}

export const undiciHttpLibrary: PromiseHttpLibrary = {
  async send(context: RequestContext): Promise<ResponseContext> {
    const { status, headers, body } = await sendContext(context);
    return new ResponseContext(status, headers, new SelfDecodingBody(Promise.resolve(body)));
  },
};

export const undiciHttpApi = wrapHttpLibrary(undiciHttpLibrary);
