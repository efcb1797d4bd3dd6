/** Commands for another machine, sent through the router to that machine's daemon. */
package io.switchboard.daemon.relay;
