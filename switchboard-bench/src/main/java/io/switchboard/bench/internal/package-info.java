/**
 * The generator's and the baseline's workings: a lean Netty client that reads messages straight off the
 * package body, one load class per scenario, wait-free latency recording, and the ways a target is started
 * (in this JVM, in a child JVM) or reached. Not API: it changes without notice.
 */
package io.switchboard.bench.internal;
