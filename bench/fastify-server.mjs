// What a Fastify app costs before it touches storage: the framework contactd is built on, logging
// one line a request at info level as contactd does, answering the fixed body of bare-server.mjs.
import process from 'node:process';
import { URL } from 'node:url';

import Fastify, { LogController } from 'fastify';

const body = {
  uuid: '01a23e58-1175-727c-92da-850496dbb05b',
  created_at: '2026-06-08T16:08:03+01:00',
  updated_at: '2026-06-08T16:08:03+01:00',
  type: 'phone_number',
  name: 'Work phone number',
  value: '+441134960456',
  phone_number_meta: { country: 'GB', formatted: '0113 496 0456', national: '0113 496 0456' },
  accounts: [{ uuid: '01a23e58-1160-734a-95a7-f2e019e54d1f', name: 'Ada Jones', type: 'client' }],
  primary_accounts: [],
};

// One line a request, when it completes, with its method and status.
class CompletedRequests extends LogController {
  incomingRequest() {}

  requestCompleted(_error, request, reply) {
    request.log.info({ method: request.method, statusCode: reply.statusCode }, 'request completed');
  }
}

const app = Fastify({ logger: { level: 'info' }, logController: new CompletedRequests() });
app.get('/', () => body);
app.put('/', () => body);

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stderr.write(`listening ${new URL(address).port}\n`);
