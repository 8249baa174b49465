import type { FastifyInstance } from 'fastify';

import { type AuthHooks, callerOf } from '../auth/hooks.js';
import { ErrorResponses } from '../http/error-schemas.js';
import { type QueryString, readFilters, readPage, readSort } from '../http/list-query.js';
import { paginate, paginatedSchema, requestPath } from '../http/pagination.js';
import { assertValidBody } from '../http/validation.js';
import {
  CircleSchema,
  type CreateCircleBody,
  CreateCircleBodySchema,
  ListCirclesQuerySchema,
} from './schemas.js';
import type { CircleService } from './service.js';

interface Dependencies {
  service: CircleService;
  hooks: AuthHooks;
}

/** The `/api/v1/circles` routes. */
export function registerCircleRoutes(app: FastifyInstance, { service, hooks }: Dependencies): void {
  const tags = ['Circles'];

  app.get<{ Querystring: QueryString }>(
    '/api/v1/circles',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'List circles',
        tags,
        querystring: ListCirclesQuerySchema,
        response: { 200: paginatedSchema(CircleSchema), ...ErrorResponses },
      },
    },
    async (request) => {
      // Circles have no filters and one order; naming another is an error, as on the other lists.
      readFilters(request.query, []);
      readSort(request.query.sort, ['created_at'], 'created_at');
      const page = readPage(request.query);
      const { items, total } = await service.list(callerOf(request), page);

      return paginate(items, { path: requestPath(request), query: request.query, ...page, total });
    },
  );

  app.post<{ Body: CreateCircleBody }>(
    '/api/v1/circles',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
        summary: 'Create a circle',
        tags,
        body: CreateCircleBodySchema,
        response: { 201: CircleSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      service.assertCanCreate(caller);
      assertValidBody(request);

      return reply.status(201).send(await service.create(caller, request.body));
    },
  );
}
