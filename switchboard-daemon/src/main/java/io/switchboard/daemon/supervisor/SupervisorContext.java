package io.switchboard.daemon.supervisor;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.globaldb.GlobalDb;

import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What each {@link SupervisedProcess} shares with its supervisor. {@code events} is the supervisor's one thread,
 * where every state change happens; {@code timers} run their tasks on it too.
 */
record SupervisorContext(GlobalDb db, LaunchPlan plan, SupervisorConfig config, Clock clock, LogFiles logs,
                         MeterRegistry meters, Scheduler timers, Executor events) {
}
