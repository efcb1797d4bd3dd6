/** Picks Netty's native epoll transport where it is available, NIO otherwise. */
package io.switchboard.transport;
