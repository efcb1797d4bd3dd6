package io.switchboard.resource;

/** An endpoint as {@code /v1} describes it to a client: where it sits, its addresses and port, and its state. */
public record ResourceEndpoint(String id, String idc, String set, String innerIp, String outIp, int port,
                               String state, boolean probed) {
}
