// The ceiling of this runtime on this machine: node:http answering one fixed JSON body, as
// large as a contact detail with its owners, with no routing, parsing or storage.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';

import { FIXED_BODY } from './fixed-body.mjs';

const body = JSON.stringify(FIXED_BODY);

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${String(server.address().port)}\n`);
});
