/**
 * Test support shared by every Switchboard module: a Netty leak detector that turns a leak into a test
 * failure, and small helpers for tests that start real servers on loopback.
 */
package io.switchboard.testing;
