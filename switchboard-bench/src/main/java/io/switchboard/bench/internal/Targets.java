package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.Scenario;

import java.net.URI;

/** Starts or reaches the server a run measures. */
public final class Targets {
    private Targets() {
    }

    /** @param target {@code baseline}, {@code standalone}, {@code tcp://host:port} or {@code ws://host:port} */
    public static RunningTarget open(String target, BenchOptions options) throws Exception {
        if (target.equals(BenchOptions.TARGET_BASELINE) || target.equals(BenchOptions.TARGET_STANDALONE)) {
            boolean resume = options.scenario() == Scenario.RESUME;
            if (options.fork()) {
                return ForkedTarget.start(target, options.websocket(), options.serverJvmArgs(), options.serverThreads(),
                        resume);
            }
            return new InProcessTarget(target, options.websocket(), LocalServer.start(target, options.serverThreads(),
                    resume));
        }
        return new RemoteTarget(URI.create(target), options.metricsUrl());
    }
}
