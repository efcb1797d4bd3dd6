/** Executors and reflection behind the handler runtime. Not public API. */
package io.switchboard.handler.internal;
