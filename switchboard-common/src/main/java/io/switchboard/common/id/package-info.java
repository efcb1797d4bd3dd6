/** Unique ids: {@link io.switchboard.common.id.Snowflake}, 64-bit, time-ordered, 4096 per node per millisecond. */
package io.switchboard.common.id;
