// The ceiling of this runtime on this machine: node:http answering one fixed JSON body, as
// large as a contact detail with its owners, with no routing, parsing or storage.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import process from 'node:process';

const body = JSON.stringify({
  uuid: '01a23e58-1175-727c-92da-850496dbb05b',
  created_at: '2026-06-08T16:08:03+01:00',
  updated_at: '2026-06-08T16:08:03+01:00',
  type: 'phone_number',
  name: 'Work phone number',
  value: '+441134960456',
  phone_number_meta: { country: 'GB', formatted: '0113 496 0456', national: '0113 496 0456' },
  accounts: [{ uuid: '01a23e58-1160-734a-95a7-f2e019e54d1f', name: 'Ada Jones', type: 'client' }],
  primary_accounts: [],
});

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
