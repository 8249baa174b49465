import type { FastifyInstance } from 'fastify';

import { type AuthHooks, callerOf } from '../auth/hooks.js';
import { assertCanWriteContactDetails } from '../auth/permissions.js';
import { ErrorResponses } from '../http/error-schemas.js';
import { assertValidBody } from '../http/validation.js';
import { ContactDetailSchema } from './resource.js';
import {
  ContactDetailParamsSchema,
  type CreateContactDetailBody,
  CreateContactDetailBodySchema,
  type UpdateContactDetailBody,
  UpdateContactDetailBodySchema,
} from './schemas.js';
import type { ContactDetailService } from './service.js';

interface Dependencies {
  service: ContactDetailService;
  hooks: AuthHooks;
}

interface ParamsType {
  uuid: string;
}

/** The `/api/v2/contact-details` routes. */
export function registerContactDetailRoutes(
  app: FastifyInstance,
  { service, hooks }: Dependencies,
): void {
  app.post<{ Body: CreateContactDetailBody }>(
    '/api/v2/contact-details',
    {
      onRequest: hooks.authenticateCaller,
      attachValidation: true,
      schema: {
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
}
