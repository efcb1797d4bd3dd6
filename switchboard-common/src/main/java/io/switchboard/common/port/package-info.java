/** The port plan (DESIGN §6, seed 000): {@code [project 1 digit][service 2 digits][program 2 digits]}. */
package io.switchboard.common.port;
