package io.switchboard.bench.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/** A server being measured, however it was started: in this JVM, in a child JVM, or elsewhere. */
public interface RunningTarget extends AutoCloseable {

    /** For the report, e.g. {@code baseline (tcp, in-process)}. */
    String describe();


    InetSocketAddress address();

    boolean websocket();

    /** Whether the server's sockets count against this process's file limit too. */
    boolean sharesProcess();

    /**
     * The Prometheus {@code /metrics} of each server process, by a short name ({@code standalone}, {@code gate},
     * {@code node}), in a stable order; empty when none can be read (the baseline, a remote target without
     * {@code --metrics}).
     */
    Map<String, URI> metricsEndpoints();

    /**
     * The processes that are the server, by kind ({@code standalone}, {@code gate}, ...), for their CPU time; empty
     * when it shares this process or is not on this machine.
     */
    default Map<String, Long> serverProcesses() {
        return Map.of();
    }

    /** The server's memory now, or {@code null} when it cannot be seen. */
    MemorySample memory();

    @Override
    void close();
}
