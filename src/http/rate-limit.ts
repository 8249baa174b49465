import rateLimitPlugin from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

import { TooManyRequestsError } from '../errors.js';

/** Counts a request of its authenticated user, and rejects it once the user is over the limit. */
export type UserRateLimiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface RateLimitConfig {
  /** Requests each user may make in a window; 0 turns limiting off. */
  max: number;
  windowMs: number;
}

/**
 * Builds the per-user limiter on @fastify/rate-limit's counters. Every response it counts carries
 * `X-RateLimit-Limit` and `X-RateLimit-Remaining`; one over the limit gets 429 with `Retry-After`
 * in seconds.
 */
export async function createUserRateLimiter(
  app: FastifyInstance,
  config: RateLimitConfig,
  redis?: Redis,
): Promise<UserRateLimiter> {
  if (config.max === 0) {
    return () => Promise.resolve();
  }

  // With Redis, every process counts in one place; while Redis is unreachable, requests go
  // uncounted rather than fail.
  await app.register(rateLimitPlugin, {
    global: false,
    ...(redis === undefined ? {} : { redis, nameSpace: 'contactd-rate-limit-', skipOnError: true }),
  });
  const check = app.createRateLimit({
    max: config.max,
    timeWindow: config.windowMs,
    keyGenerator: (request) => `user:${request.authenticatedUser?.userId ?? request.ip}`,
  });

  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed) {
      return;
    }

    void reply.header('X-RateLimit-Limit', result.max);
    void reply.header('X-RateLimit-Remaining', result.remaining);
    if (result.isExceeded) {
      void reply.header('Retry-After', result.ttlInSeconds);
      throw new TooManyRequestsError();
    }
  };
}
