import type { FastifyReply, FastifyRequest } from 'fastify';

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
    authenticateCaller: async (request, reply) => {
      await authenticateUser(request, reply);
      const user = request.authenticatedUser;
      if (user !== undefined) {
        request.caller = await storage.read({ userId: user.userId }, ({ auth }) =>
          resolveCaller(auth, user, request.headers[ACCOUNT_HEADER]),
        );
        request.log = request.log.child({ firmId: request.caller.firmId });
      }
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
