import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

import type { Storage } from '../storage/storage.js';

const HealthSchema = Type.Object({
  status: Type.Enum(['ok', 'unavailable']),
  database: Type.Enum(['ok', 'unavailable']),
});

/** `GET /health`, for load balancers: no authentication, 503 while the database is unreachable. */
export function registerHealthRoute(app: FastifyInstance, storage: Storage): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Check that the server and its database answer',
        tags: ['Health'],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (request, reply) => {
      try {
        await storage.ping();

        return { status: 'ok', database: 'ok' };
      } catch (error) {
        request.log.error({ err: error }, 'database ping failed');

        return reply.status(503).send({ status: 'unavailable', database: 'unavailable' });
      }
    },
  );
}
