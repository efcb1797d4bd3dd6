package io.switchboard.daemon.supervisor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;

/**
 * A {@link Supervisor} as a part of the daemon's runtime: started with it (adopting or starting the machine's
 * processes), shown in {@code /health}, closed with it — which leaves the children running for the next daemon.
 * Build the supervisor with the runtime's {@link ProcessRuntime#meters()} to have its metrics in {@code /metrics}:
 * <pre>{@code
 * Supervisor supervisor = new Supervisor(machine, globalDb,
 *         SwitchboardLaunchPlan.ofThisJvm(jvmArgs, globalDbUrl, SupervisorConfig.DEFAULT_RECORD_INTERVAL),
 *         SupervisorConfig.builder(logDir).build(), Scheduler.of(scheduledExecutor), Clock.systemUTC(),
 *         runtime.meters());
 * runtime.add(new SupervisorPart(supervisor));
 * }</pre>
 */
public final class SupervisorPart implements ProcessPart {
    private final Supervisor supervisor;

    public SupervisorPart(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    @Override
    public void start(ProcessRuntime runtime) {
        supervisor.start();
    }

    @Override
    public void health(ObjectNode health) {
        ObjectNode machine = health.putObject("supervisor");
        machine.put("region", supervisor.machine().region()).put("ip", supervisor.machine().ip());
        ArrayNode processes = machine.putArray("processes");
        for (ProcessStatus status : supervisor.status()) {
            processes.addObject().put("name", status.name()).put("state", status.state().name())
                    .put("pid", status.pid()).put("restarts", status.restarts()).put("detail", status.detail());
        }
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
