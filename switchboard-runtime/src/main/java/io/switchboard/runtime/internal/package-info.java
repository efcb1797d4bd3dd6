/** The runtime's way out: the drain that every process kind shares. */
package io.switchboard.runtime.internal;
