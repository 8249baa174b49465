import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

import { type AuthHooks, callerOf } from '../auth/hooks.js';
import { assertCanWriteContactDetails } from '../auth/permissions.js';
import { ErrorResponses } from '../http/error-schemas.js';
import { paginate, paginatedSchema, requestPath } from '../http/pagination.js';
import { assertValidBody } from '../http/validation.js';
import type { QueryString } from '../http/list-query.js';
import { parseListQuery } from './list-query.js';
import { ContactDetailSchema } from './resource.js';
import {
  ContactDetailParamsSchema,
  ListContactDetailsQuerySchema,
  type CreateContactDetailBody,
  CreateContactDetailBodySchema,
  type UpdateContactDetailBody,
  UpdateContactDetailBodySchema,
} from './schemas.js';
import type { ContactDetailService } from './service.js';
import type { PhoneNumberOptions } from '../values/phone.js';

interface Dependencies {
  service: ContactDetailService;
  hooks: AuthHooks;
  phone: PhoneNumberOptions;
}

interface ParamsType {
  uuid: string;
}

/** The `/api/v2/contact-details` routes. */
export function registerContactDetailRoutes(
  app: FastifyInstance,
  { service, hooks, phone }: Dependencies,
): void {
  const tags = ['Contact details'];

  app.get<{ Querystring: QueryString }>(
    '/api/v2/contact-details',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'List contact details',
        tags,
        querystring: ListContactDetailsQuerySchema,
        response: { 200: paginatedSchema(ContactDetailSchema), ...ErrorResponses },
      },
    },
    async (request) => {
      const query = parseListQuery(request.query, phone);
      const { items, total } = await service.list(callerOf(request), query);
      return paginate(items, {
        path: requestPath(request),
        query: request.query,
        page: query.page,
        perPage: query.perPage,
        total,
      });
    },
  );

  app.post<{ Body: CreateContactDetailBody }>(
    '/api/v2/contact-details',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
        summary: 'Create a contact detail',
        tags,
        body: CreateContactDetailBodySchema,
        response: { 201: ContactDetailSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      assertCanWriteContactDetails(caller);
      assertValidBody(request);
      const created = await service.create(caller, request.body);

      return reply.status(201).send(created);
    },
  );

  app.get<{ Params: ParamsType }>(
    '/api/v2/contact-details/:uuid',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'Show a contact detail',
        tags,
        params: ContactDetailParamsSchema,
        response: { 200: ContactDetailSchema, ...ErrorResponses },
      },
    },
    async (request) => service.get(callerOf(request), request.params.uuid),
  );

  app.put<{ Params: ParamsType; Body: UpdateContactDetailBody }>(
    '/api/v2/contact-details/:uuid',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
        summary: 'Update a contact detail',
        description:
          'Replaces the name, value and owners. With primary_account_uuids, exactly those owners ' +
          'hold the detail as primary; making it primary demotes their previous primary of its type.',
        tags,
        params: ContactDetailParamsSchema,
        body: UpdateContactDetailBodySchema,
        response: { 200: ContactDetailSchema, ...ErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      assertCanWriteContactDetails(caller);
      assertValidBody(request);

      return service.update(caller, request.params.uuid, request.body);
    },
  );

  app.delete<{ Params: ParamsType }>(
    '/api/v2/contact-details/:uuid',
    {
      onRequest: hooks.authenticateCaller,
      schema: {
        summary: 'Delete a contact detail',
        tags,
        params: ContactDetailParamsSchema,
        response: { 204: Type.Null({ description: 'Deleted; no body.' }), ...ErrorResponses },
      },
    },
    async (request, reply) => {
      await service.delete(callerOf(request), request.params.uuid);

      return reply.status(204).send();
    },
  );
}
