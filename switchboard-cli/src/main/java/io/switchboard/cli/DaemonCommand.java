package io.switchboard.cli;

import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.daemon.Daemon;
import io.switchboard.daemon.DaemonConfig;
import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.router.RouterSettings;
import io.switchboard.daemon.supervisor.SupervisorConfig;
import io.switchboard.daemon.supervisor.SwitchboardLaunchPlan;
import io.switchboard.globaldb.GlobalDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.crypto.SecretKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code switchboard daemon --ip IP}: one machine's daemon of the process plane (seed 004), until signalled. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the daemon of one machine of the world in globaldb: it starts the machine's processes "
                + "(Switchboard roles and plain programs), restarts those that exit (with backoff; a crash loop ends "
                + "FATAL), restarts those whose globaldb record stops moving (hung), captures their output in "
                + "rotated files, and adopts the ones still running after its own restart. It keeps a link to the "
                + "router, through which commands for other machines travel, and serves the admin API and web "
                + "console on its admin port, on the machine's IP.",
                "Stopping the daemon leaves its processes running. Operators log in with users from globaldb "
                        + "(switchboard globaldb user add); the cluster secret comes from "
                        + ClusterSecret.ENV + "."})
final class DaemonCommand implements Callable<Integer> {

    @Option(names = "--ip", required = true, description = "This machine's inner IP, as the world names it; the admin "
            + "port listens on it and the link to the router leaves from it.")
    String ip;

    @Option(names = "--port", description = "The admin API and console port (default ${DEFAULT-VALUE}).")
    int port = AdminApiConfig.DEFAULT_PORT;

    @Option(names = "--router", paramLabel = "HOST:PORT", description = "The router (default ${DEFAULT-VALUE}).")
    String router = "127.0.0.1:" + RouterSettings.DEFAULT_PORT;

    @Option(names = "--globaldb", paramLabel = "URL", description = "globaldb (default: $"
            + ProcessRecordOptions.GLOBALDB_ENV + " when set, else " + GlobalDbs.DEFAULT_URL + ").")
    String globalDb = GlobalDbs.defaultUrl(System.getenv());

    @Option(names = "--log-dir", description = "Where each process's output goes, as <name>.log rotated by size "
            + "(default ${DEFAULT-VALUE}).")
    Path logDir = Path.of("logs", "processes");

    @Option(names = "--record-interval-ms", description = "How often the processes write their globaldb record; "
            + "one silent for --hung-factor times this is hung (default ${DEFAULT-VALUE}).")
    long recordIntervalMs = SupervisorConfig.DEFAULT_RECORD_INTERVAL.toMillis();

    @Option(names = "--hung-factor", description = "Records this many intervals old mean hung "
            + "(default ${DEFAULT-VALUE}).")
    int hungFactor = SupervisorConfig.DEFAULT_HUNG_FACTOR;

    @Option(names = "--stop-grace", paramLabel = "SECONDS", description = "SIGKILL this long after SIGTERM "
            + "(default ${DEFAULT-VALUE}; longer than a node's 8 s drain).")
    long stopGraceSeconds = SupervisorConfig.DEFAULT_STOP_GRACE.toSeconds();

    @Option(names = "--child-jvm-arg", paramLabel = "ARG", description = "A JVM argument for the Switchboard "
            + "processes this daemon starts (repeatable).")
    List<String> childJvmArgs = new ArrayList<>();

    @Option(names = "--allow-host", description = "A host name operators use for this daemon, accepted in Host and "
            + "Origin besides its IP (repeatable).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--admin-port", description = "The daemon's own /health and /metrics on 127.0.0.1 (default "
            + "${DEFAULT-VALUE} = off: several daemons may share a box, and the console is the daemon's face).")
    int runtimeAdminPort = -1;

    @Mixin
    HttpPortOptions portLimits = new HttpPortOptions();

    @Mixin
    AdminTlsOptions adminTls = new AdminTlsOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DaemonConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        GlobalDb db;
        try {
            db = GlobalDbs.open(globalDb);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(config, db);
        } catch (IllegalStateException | io.switchboard.globaldb.GlobalDbException e) {
            spec.commandLine().getErr().println("switchboard daemon: " + e.getMessage());
            db.close();
            return 1;
        }
        spec.commandLine().getOut().printf("switchboard daemon %s: console and admin API on %s://%s:%d/, router %s, "
                        + "%d process(es), logs in %s%n", ip, config.admin().scheme(), ip, daemon.adminPort(), router,
                daemon.supervisor().status().size(), logDir.toAbsolutePath());
        spec.commandLine().getOut().flush();
        UntilStopped.await(() -> {
            daemon.close();
            db.close();
        });
        return 0;
    }

    DaemonConfig config() {
        Optional<SecretKey> secret = ClusterSecret.fromEnvironment(System.getenv());
        Duration interval = Duration.ofMillis(recordIntervalMs);
        SupervisorConfig supervisor = SupervisorConfig.builder(logDir).recordInterval(interval).hungFactor(hungFactor)
                .stopGrace(Duration.ofSeconds(stopGraceSeconds)).build();
        return new DaemonConfig(ip, adminTls.applyTo(AdminApiConfig.defaults(ip, port).withAllowedHosts(allowHosts)
                        .withLimits(portLimits.limits())),
                hostPort(router), secret, SwitchboardLaunchPlan.ofThisJvm(childJvmArgs, globalDb, interval),
                supervisor, RouterLinkSettings.defaults(), runtimeAdminPort);
    }

    private static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--router must be HOST:PORT: " + value);
        }
        try {
            return new InetSocketAddress(value.substring(0, colon),
                    Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--router must be HOST:PORT: " + value);
        }
    }
}
