/** Redis-backed parts, through Lettuce: the {@link io.switchboard.redis.RedisSessionDirectory} shared by all gates. */
package io.switchboard.redis;
