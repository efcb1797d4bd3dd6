/**
 * Bounds on logging that outside peers can trigger: a port that logs every refusal lets whoever reaches it write to
 * the disk at will (DESIGN §10: what an unauthenticated peer sends is bounded).
 */
package io.switchboard.common.log;
