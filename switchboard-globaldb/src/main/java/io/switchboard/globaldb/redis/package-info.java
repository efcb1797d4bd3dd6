/** globaldb kept in Redis (Lettuce), in the layout of DESIGN §9. */
package io.switchboard.globaldb.redis;
