import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError } from '../errors.js';
import type { UserRateLimiter } from '../http/rate-limit.js';
import type { Storage } from '../storage/storage.js';
import type { Clock } from '../time.js';
import { ACCOUNT_HEADER, authenticateToken, resolveCaller } from './authenticate.js';
import type { AuthenticatedUser, Caller } from './caller.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's user, set by the authenticateUser hook. */
    authenticatedUser?: AuthenticatedUser;
    /** The acting account, set by the authenticateCaller hook. */
    caller?: Caller;
  }
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * The `onRequest` hooks that authenticate a route before its body is read. Both count the request
 * against its user's rate limit as soon as the token is known.
 */
export interface AuthHooks {
  /** Requires a valid bearer token. */
  authenticateUser: Hook;
  /** Requires a valid bearer token and an acting account the token's user may act as. */
  authenticateCaller: Hook;
}

export function createAuthHooks(
  storage: Storage,
  clock: Clock,
  rateLimit: UserRateLimiter,
): AuthHooks {
  const authenticateUser: Hook = async (request, reply) => {
    request.authenticatedUser = await storage.read({}, ({ auth }) =>
      authenticateToken(auth, request.headers.authorization, clock()),
    );
    await rateLimit(request, reply);
  };

  return {
    authenticateUser,
    // The token and the acting account are read in one unit of work, which on PostgreSQL saves
    // a transaction a request. The rate limit still counts a request whose acting account is rejected.
    authenticateCaller: async (request, reply) => {
      const outcome = await storage.read({}, async (repositories) => {
        const found = await authenticateToken(
          repositories.auth,
          request.headers.authorization,
          clock(),
        );
        await repositories.rescope({ userId: found.userId });
        try {
          return {
            user: found,
            caller: await resolveCaller(repositories.auth, found, request.headers[ACCOUNT_HEADER]),
            rejection: undefined,
          };
        } catch (error) {
          if (!(error instanceof AppError)) {
            throw error;
          }

          return { user: found, caller: undefined, rejection: error };
        }
      });
      request.authenticatedUser = outcome.user;
      await rateLimit(request, reply);
      if (outcome.caller === undefined) {
        throw outcome.rejection;
      }

      request.caller = outcome.caller;
      request.log = request.log.child({ firmId: outcome.caller.firmId });
    },
  };
}

/** Returns the caller that authenticateCaller set; a route without that hook is a programming error. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === undefined) {
    throw new Error(`route ${request.routeOptions.url ?? ''} has no authenticateCaller hook`);
  }

  return request.caller;
}
