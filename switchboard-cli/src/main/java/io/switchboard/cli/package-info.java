/** The {@code switchboard} command: {@code demo}, {@code client}, {@code bench} and what later issues add. */
package io.switchboard.cli;
