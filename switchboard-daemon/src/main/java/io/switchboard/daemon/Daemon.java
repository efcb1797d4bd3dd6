package io.switchboard.daemon;

import io.switchboard.common.time.Ticker;
import io.switchboard.daemon.admin.AdminApiServer;
import io.switchboard.daemon.admin.CommandExecutor;
import io.switchboard.daemon.admin.Liveness;
import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.link.RouterLink;
import io.switchboard.daemon.supervisor.Scheduler;
import io.switchboard.daemon.supervisor.Supervisor;
import io.switchboard.daemon.supervisor.SupervisorPart;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.World;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One machine's daemon as a {@link ProcessRuntime}, composed of three parts started in this order: the supervisor of
 * the machine's processes (it adopts those still running from an earlier daemon), the link to the router (commands
 * from other machines run on the supervisor; commands for them go out through it), and the admin API with the web
 * console. Closing the daemon leaves the supervised processes running, for the next daemon to adopt.
 */
public final class Daemon implements AutoCloseable {
    private final ProcessRuntime runtime;
    private final Supervisor supervisor;
    private final RouterLink link;
    private final AdminApiServer admin;
    private final ScheduledExecutorService timers;

    private Daemon(ProcessRuntime runtime, Supervisor supervisor, RouterLink link, AdminApiServer admin,
                   ScheduledExecutorService timers) {
        this.runtime = runtime;
        this.supervisor = supervisor;
        this.link = link;
        this.admin = admin;
        this.timers = timers;
    }

    /**
     * Starts the daemon of {@code config.ip()} over {@code globalDb}, on the wall clock and monotonic time.
     *
     * @throws IllegalStateException when the world has no machine with that IP: such a daemon has nothing to run and
     *                               the router would refuse it anyway
     */
    public static Daemon start(DaemonConfig config, GlobalDb globalDb) throws Exception {
        return start(config, globalDb, Clock.systemUTC(), Ticker.system());
    }

    /** As {@link #start(DaemonConfig, GlobalDb)}, with the clocks given (tests move them by hand). */
    public static Daemon start(DaemonConfig config, GlobalDb globalDb, Clock clock, Ticker ticker) throws Exception {
        World.Machine machine = globalDb.world().machine(config.ip()).orElseThrow(() -> new IllegalStateException(
                config.ip() + " is not a machine of the world in globaldb: import a world that names it first"));
        ProcessRuntime runtime = ProcessRuntime.of(ProcessConfig.builder("daemon").id("daemon-" + config.ip())
                .admin("127.0.0.1", config.runtimeAdminPort()).build());
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-daemon-timer");
            thread.setDaemon(true);
            return thread;
        });
        Supervisor supervisor = new Supervisor(machine, globalDb, config.launchPlan(), config.supervisor(),
                Scheduler.of(timers), clock, runtime.meters());
        RouterLink link = new RouterLink(config.ip(), config.router(), new LocalCommands(supervisor),
                config.secret(), config.link());
        CommandExecutor executor = new CommandExecutor(config.ip(), globalDb, supervisor, link, clock,
                new Liveness.Rule(config.supervisor().recordInterval(), config.supervisor().hungFactor()));
        AdminApiServer admin = new AdminApiServer(config.admin(), executor, globalDb, supervisor, ticker);
        runtime.add(new SupervisorPart(supervisor)).add(link).add(admin);
        try {
            runtime.start();
        } catch (Exception e) {
            timers.shutdownNow();
            throw e;
        }
        return new Daemon(runtime, supervisor, link, admin, timers);
    }

    public ProcessRuntime runtime() {
        return runtime;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    public RouterLink link() {
        return link;
    }

    /** The admin API's bound port. */
    public int adminPort() {
        return admin.port();
    }

    @Override
    public void close() {
        runtime.close();
        timers.shutdownNow();
    }
}
