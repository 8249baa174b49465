import type { FastifyInstance, FastifyRequest } from 'fastify';

import { ErrorResponses } from '../http/error-schemas.js';
import { assertValidBody } from '../http/validation.js';
import type { AuthenticatedUser } from './caller.js';
import type { AuthHooks } from './hooks.js';
import {
  type CreateTokenBody,
  CreateTokenBodySchema,
  LoginListSchema,
  TokenSchema,
} from './schemas.js';
import type { UserService } from './service.js';

interface Dependencies {
  service: UserService;
  hooks: AuthHooks;
}

/** The routes of the token's user: its logins and its tokens. */
export function registerUserRoutes(app: FastifyInstance, { service, hooks }: Dependencies): void {
  app.get(
    '/api/v1/logins',
    {
      onRequest: hooks.authenticateUser,
      schema: {
        summary: "List the token user's logins",
        description:
          'Needs no X-PLANNR-ACCOUNT-UUID. Each login names an account the user may act as.',
        tags: ['Logins'],
        response: { 200: LoginListSchema, ...ErrorResponses },
      },
    },
    async (request) => service.listLogins(userOf(request)),
  );

  app.post<{ Body: CreateTokenBody }>(
    '/api/v1/personal-access-tokens',
    {
      onRequest: hooks.authenticateUser,
      attachValidation: true,
      schema: {
        summary: 'Issue a personal access token',
        description:
          'Confirms the password of the token user, then issues a token valid for a year.',
        tags: ['Personal access tokens'],
        body: CreateTokenBodySchema,
        response: { 201: TokenSchema, ...ErrorResponses },
      },
    },
    async (request, reply) => {
      assertValidBody(request);

      return reply.status(201).send(await service.createToken(userOf(request), request.body));
    },
  );
}

function userOf(request: FastifyRequest): AuthenticatedUser {
  if (request.authenticatedUser === undefined) {
    throw new Error(`route ${request.routeOptions.url ?? ''} has no authenticateUser hook`);
  }

  return request.authenticatedUser;
}
