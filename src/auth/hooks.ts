import type { FastifyRequest } from 'fastify';

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

/** The `onRequest` hooks that authenticate a route before its body is read. */
export interface AuthHooks {
  /** Requires a valid bearer token. */
  authenticateUser: (request: FastifyRequest) => Promise<void>;
  /** Requires a valid bearer token and an acting account the token's user may act as. */
  authenticateCaller: (request: FastifyRequest) => Promise<void>;
}

export function createAuthHooks(storage: Storage, clock: Clock): AuthHooks {
  const { auth } = storage.repositories;
  const authenticateUser = async (request: FastifyRequest) => {
    request.authenticatedUser = await authenticateToken(
      auth,
      request.headers.authorization,
      clock(),
    );
  };

  return {
    authenticateUser,
    authenticateCaller: async (request) => {
      await authenticateUser(request);
      const user = request.authenticatedUser;
      if (user !== undefined) {
        request.caller = await resolveCaller(auth, user, request.headers[ACCOUNT_HEADER]);
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
