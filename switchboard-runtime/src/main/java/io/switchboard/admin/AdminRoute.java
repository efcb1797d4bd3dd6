package io.switchboard.admin;

import io.netty.handler.codec.http.FullHttpRequest;

/** Answers one admin path. Runs on the admin server's I/O thread: keep it quick. */
@FunctionalInterface
public interface AdminRoute {
    AdminResponse handle(FullHttpRequest request) throws Exception;
}
