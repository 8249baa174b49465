import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

import { ACCOUNT_HEADER } from '../auth/authenticate.js';

/** Routes that authenticate the token's user without an acting account. */
const ROUTES_WITHOUT_ACTING_ACCOUNT = new Set(['/api/v1/logins', '/api/v1/personal-access-tokens']);

/**
 * Serves the OpenAPI 3.1 document at `/openapi.json`, generated from the schemas the routes
 * validate with, and a reference page at `/docs`. Must be registered before the routes.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'contactd',
        version,
        description:
          'The Plannr CRM contact-details API, self-hosted: phone numbers and email addresses of ' +
          "a firm's clients, shared between joint clients, each client with one primary of each type.",
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A personal access token, from `contactd init`, `contactd token` or ' +
              'POST /api/v1/personal-access-tokens.',
          },
        },
      },
    },
    transform: ({ schema, url }) => {
      if (!url.startsWith('/api/')) {
        return { schema, url };
      }

      const documented = { ...schema, security: [{ bearerAuth: [] }] };
      if (ROUTES_WITHOUT_ACTING_ACCOUNT.has(url)) {
        return { schema: documented, url };
      }

      return {
        url,
        schema: {
          ...documented,
          headers: {
            type: 'object',
            required: [ACCOUNT_HEADER],
            properties: {
              [ACCOUNT_HEADER]: {
                type: 'string',
                format: 'uuid',
                description: 'The account the caller acts as; GET /api/v1/logins lists them.',
              },
            },
          },
        },
      };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
