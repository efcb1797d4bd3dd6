package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.Scenario;

import java.net.URI;

/** Starts or reaches the server a run measures. */
public final class Targets {
    private Targets() {
    }

    /**
     * @param target {@code baseline}, {@code standalone}, {@code cluster}, {@code tcp://host:port} or
     *               {@code ws://host:port}
     */
    public static RunningTarget open(String target, BenchOptions options) throws Exception {
        String cpus = Pinning.serverCpus(options.pin());
        // Gates park dropped sessions only for the resume scenario, so the others measure what they always did.
        boolean resume = options.scenario() == Scenario.RESUME;
        if (target.equals(BenchOptions.TARGET_CLUSTER)) {
            return ClusterTarget.start(options.websocket(), options.serverJvmArgs(), options.serverThreads(), resume,
                    cpus);
        }
        if (target.equals(BenchOptions.TARGET_BASELINE) || target.equals(BenchOptions.TARGET_STANDALONE)) {
            if (options.fork()) {
                return ForkedTarget.start(target, options.websocket(), options.serverJvmArgs(),
                        options.serverThreads(), resume, cpus);
            }
            return new InProcessTarget(target, options.websocket(),
                    LocalServer.start(target, options.serverThreads(), resume, null));
        }
        return new RemoteTarget(URI.create(target), options.metricsUrl());
    }
}
