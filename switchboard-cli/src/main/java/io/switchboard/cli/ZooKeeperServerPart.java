package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;

/** The registry process's one part: an embedded ZooKeeper server, started and stopped by the process runtime. */
final class ZooKeeperServerPart implements ProcessPart {
    private final EmbeddedZooKeeperServer server;

    ZooKeeperServerPart(EmbeddedZooKeeperServer server) {
        this.server = server;
    }

    @Override
    public void start(ProcessRuntime runtime) throws Exception {
        server.start();
    }

    /** DOWN when ZooKeeper is not serving while the runtime still is (its server stops only when closed, or fails). */
    @Override
    public void health(ObjectNode health) {
        boolean running = server.isRunning();
        health.put("zookeeper", running ? server.connectString() : "stopped");
        if (!running) {
            health.put("status", "DOWN");
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    EmbeddedZooKeeperServer server() {
        return server;
    }
}
