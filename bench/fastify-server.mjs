// What a Fastify app costs before it touches storage: the framework contactd is built on, logging
// one line a request at info level as contactd does, and replying with the fixed body.
import process from 'node:process';
import { URL } from 'node:url';

import Fastify, { LogController } from 'fastify';

import { FIXED_BODY } from './fixed-body.mjs';

// One line a request, when it completes, with its method and status.
class CompletedRequests extends LogController {
  incomingRequest() {}

  requestCompleted(_error, request, reply) {
    request.log.info({ method: request.method, statusCode: reply.statusCode }, 'request completed');
  }
}

const app = Fastify({ logger: { level: 'info' }, logController: new CompletedRequests() });
app.get('/', () => FIXED_BODY);
app.put('/', () => FIXED_BODY);

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stderr.write(`listening ${new URL(address).port}\n`);
