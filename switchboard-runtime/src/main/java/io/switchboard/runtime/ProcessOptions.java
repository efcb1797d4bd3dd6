package io.switchboard.runtime;

import io.switchboard.admin.HttpPortLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * The options every process kind has, for the builders of the kinds (standalone server, gate, service node, resource
 * manager): each is a {@link ProcessConfig} setting of the one {@link ProcessRuntime} they all run on, so a kind's
 * builder inherits them instead of copying them.
 *
 * @param <B> the kind's builder, which each option returns
 */
public abstract class ProcessOptions<B extends ProcessOptions<B>> {
    /** The process's settings as they are built; the kind builds them with its meters. */
    protected final ProcessConfig.Builder process;

    protected ProcessOptions(ProcessConfig.Builder process) {
        this.process = Objects.requireNonNull(process, "process");
    }

    /** This builder as its kind's type. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The process id in the registry, logs and {@code /health}; unique in a cluster. */
    public B id(String id) {
        process.id(id);
        return self();
    }

    /** The version of this kind's code: a higher one makes the older processes of the kind drain. */
    public B version(int version) {
        process.version(version);
        return self();
    }

    /** Handler threads; 0 means one per core, at least two. */
    public B workerThreads(int threads) {
        process.workerThreads(threads);
        return self();
    }

    /** Tasks that may wait for the workers before messages are refused with {@code OVERLOADED}. */
    public B workerQueue(int capacity) {
        process.workerQueue(capacity);
        return self();
    }

    /** How long a shutdown signal waits for the process's work to end; 8 s by default. */
    public B shutdownGrace(Duration grace) {
        process.shutdownGrace(grace);
        return self();
    }

    /**
     * Admin HTTP ({@code /health}, {@code /metrics}, {@code POST /shutdown} and the kind's own routes): loopback on a
     * free port by default; port 0 picks a free one, {@link ProcessConfig#ADMIN_OFF} turns it off.
     */
    public B admin(String host, int port) {
        process.admin(host, port);
        return self();
    }

    /** Admin HTTP on loopback at {@code port}; 0 picks a free one, {@link ProcessConfig#ADMIN_OFF} turns it off. */
    public B adminPort(int port) {
        return admin(ProcessConfig.DEFAULT_ADMIN_HOST, port);
    }

    /**
     * The bearer token of the admin writes ({@code POST /shutdown} and the kind's own); from
     * {@code SWITCHBOARD_ADMIN_TOKEN} by default; with none, admin writes are off.
     */
    public B adminToken(String token) {
        process.adminToken(token);
        return self();
    }

    /** Admin HTTP's connection caps and deadlines; {@link HttpPortLimits#ADMIN_DEFAULTS} unless set. */
    public B adminLimits(HttpPortLimits limits) {
        process.adminLimits(limits);
        return self();
    }

    /** What ends the process once drained; {@link ExitHandler#SYSTEM} by default. */
    public B exitHandler(ExitHandler exit) {
        process.exit(exit);
        return self();
    }
}
