import type { FastifyInstance } from 'fastify';

import { type AuthHooks, callerOf } from '../auth/hooks.js';
import { ErrorResponses } from '../http/error-schemas.js';
import type { QueryString } from '../http/list-query.js';
import { paginate, paginatedSchema, requestPath } from '../http/pagination.js';
import { assertValidBody } from '../http/validation.js';
import { AccountSummarySchema } from './resource.js';
import {
  type AccountBody,
  AccountBodySchema,
  AccountParamsSchema,
  ListAccountsQuerySchema,
} from './schemas.js';
import { type AccountService, parseAccountListQuery } from './service.js';

interface Dependencies {
  service: AccountService;
  hooks: AuthHooks;
}

/** The `/api/v1/account` routes. */
export function registerAccountRoutes(
  app: FastifyInstance,
  { service, hooks }: Dependencies,
): void {
  const tags = ['Accounts'];

  app.get<{ Querystring: QueryString }>(
    '/api/v1/account',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'List accounts',
        tags,
        querystring: ListAccountsQuerySchema,
        response: { 200: paginatedSchema(AccountSummarySchema), ...ErrorResponses },
      },
    },
    async (request) => {
      const query = parseAccountListQuery(request.query);
      const { items, total } = await service.list(callerOf(request), query);

      return paginate(items, { path: requestPath(request), query: request.query, ...query, total });
    },
  );

  app.get<{ Params: { uuid: string } }>(
    '/api/v1/account/:uuid',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'Show an account',
        tags,
        params: AccountParamsSchema,
        response: { 200: AccountSummarySchema, ...ErrorResponses },
      },
    },
    async (request) => service.get(callerOf(request), request.params.uuid),
  );

  app.post<{ Body: AccountBody }>(
    '/api/v1/account',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
        summary: 'Create a client account',
        tags,
        body: AccountBodySchema,
        response: { 201: AccountSummarySchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      service.assertCanWrite(caller);
      assertValidBody(request);

      return reply.status(201).send(await service.create(caller, request.body));
    },
  );

  app.put<{ Params: { uuid: string }; Body: AccountBody }>(
    '/api/v1/account/:uuid',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
        summary: 'Update a client account',
        tags,
        params: AccountParamsSchema,
        body: AccountBodySchema,
        response: { 200: AccountSummarySchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      service.assertCanWrite(caller);
      assertValidBody(request);

      return service.update(caller, request.params.uuid, request.body);
    },
  );
}
