import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError } from '../errors.js';
import type { UserRateLimiter } from '../http/rate-limit.js';
import type { Storage } from '../storage/storage.js';
import type { Clock } from '../time.js';
import {
  ACCOUNT_HEADER,
  accountIdOf,
  authenticateToken,
  bearerTokenHash,
  resolveCaller,
} from './authenticate.js';
import { CallerCache, type ResolvedCaller } from './caller-cache.js';
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

/** A token's user whose acting account was rejected. */
interface Rejected {
  user: AuthenticatedUser;
  caller?: undefined;
  rejection: AppError;
}

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
  callerCacheMs: number,
): AuthHooks {
  const authenticateUser: Hook = async (request, reply) => {
    const tokenHash = bearerTokenHash(request.headers.authorization);
    request.authenticatedUser = await storage.read({}, ({ auth }) =>
      authenticateToken(auth, tokenHash, clock()),
    );
    await rateLimit(request, reply);
  };
  const callers = new CallerCache(callerCacheMs, clock);

  // The token and the acting account are read in one unit of work, which on PostgreSQL saves
  // a transaction a request. A rejected acting account still yields the user, whose rate limit
  // counts the request.
  const resolve = (
    tokenHash: string,
    accountHeader: string | string[] | undefined,
  ): Promise<ResolvedCaller | Rejected> =>
    storage.read({}, async (repositories) => {
      const user = await authenticateToken(repositories.auth, tokenHash, clock());
      await repositories.rescope({ userId: user.userId });
      try {
        const caller = await resolveCaller(repositories.auth, user, accountHeader);

        return { user, caller };
      } catch (error) {
        if (!(error instanceof AppError)) {
          throw error;
        }

        return { user, rejection: error };
      }
    });

  return {
    authenticateUser,
    authenticateCaller: async (request, reply) => {
      const tokenHash = bearerTokenHash(request.headers.authorization);
      const accountHeader = request.headers[ACCOUNT_HEADER];
      // Keyed on the account id, not the header as sent, so that spellings share one entry.
      const cacheable = accountIdOf(accountHeader);
      const cached = cacheable === undefined ? undefined : callers.get(tokenHash, cacheable);
      const outcome = cached ?? (await resolve(tokenHash, accountHeader));
      request.authenticatedUser = outcome.user;
      await rateLimit(request, reply);
      if (outcome.caller === undefined) {
        throw outcome.rejection;
      }

      if (cached === undefined && cacheable !== undefined) {
        callers.set(tokenHash, cacheable, { user: outcome.user, caller: outcome.caller });
      }

      request.caller = outcome.caller;
      // A child of the request's logger would cost about 11 µs more a request than one of the
      // app's logger, because pino handles a second level of bindings slowly.
      request.log = request.server.log.child(
        { reqId: request.id, firmId: outcome.caller.firmId },
        { level: request.log.level },
      );
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
