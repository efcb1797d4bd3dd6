package io.switchboard.bench.internal;

/** What a running load has done so far, read while it runs: a soak samples it every interval. */
interface LoadMeter {

    /** Requests answered, deliveries received or cycles completed. */
    long completed();

    /** Error responses, wrong bodies, failed cycles: anything that should not happen. */
    long failed();

    LatencyStats latency();
}
