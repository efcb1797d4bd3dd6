package io.switchboard.cli;

import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.common.port.PortPlan;
import io.switchboard.daemon.router.RouterServer;
import io.switchboard.daemon.router.RouterSettings;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code switchboard router}: the process plane's router (DESIGN §9), until signalled. */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = {"Run the process plane's router: daemons (switchboard daemon --router HOST:PORT) connect to "
                + "it, prove the cluster secret and name their machine; a machine not in the world read from "
                + "globaldb, or one whose daemon is connected already, is refused with the reason. Admin commands "
                + "for another machine travel through it to that machine's daemon and back.",
                "The cluster secret comes from " + ClusterSecret.ENV + "; without it only daemons on loopback are "
                        + "taken, and the router refuses to listen anywhere else."})
final class RouterCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Address the router listens on (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "The router's port (default ${DEFAULT-VALUE}).")
    int port = RouterSettings.DEFAULT_PORT;

    @Option(names = "--globaldb", paramLabel = "URL", description = "globaldb, where the world is read from "
            + "(default: $" + ProcessRecordOptions.GLOBALDB_ENV + " when set, as a daemon sets it, else "
            + GlobalDbs.DEFAULT_URL + ").")
    String globalDb = GlobalDbs.defaultUrl(System.getenv());

    @Option(names = "--world-refresh", paramLabel = "SECONDS", description = "How often the world is read again, so "
            + "an import is seen (default ${DEFAULT-VALUE}); a daemon naming a machine the router does not know "
            + "makes it read the world at once.")
    long worldRefresh = RouterSettings.defaults().worldRefresh().toSeconds();

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}, from the "
            + "port plan; -1 = off).")
    int adminPort = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.ADMIN, PortPlan.ROUTER);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<SecretKey> secret;
        RouterSettings settings;
        try {
            secret = ClusterSecret.fromEnvironment(System.getenv());
            settings = settings(secret);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        GlobalDb db;
        try {
            db = GlobalDbs.open(globalDb);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("switchboard router: " + e.getMessage());
            return 1;
        }
        ProcessRuntime runtime = start(db, secret, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.shutdown();
            db.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    /** The settings the options give; a bad value, or a router off loopback without a secret, is refused. */
    RouterSettings settings(Optional<SecretKey> secret) {
        if (secret.isEmpty() && !Loopback.isLoopback(host)) {
            throw new IllegalArgumentException("the router would listen on " + host + " without "
                    + ClusterSecret.ENV + ": set it, or listen on loopback");
        }
        if (worldRefresh < 1) {
            throw new IllegalArgumentException("--world-refresh must be at least 1 second");
        }
        return RouterSettings.defaults().withAddress(host, port).withWorldRefresh(Duration.ofSeconds(worldRefresh));
    }

    /** Starts the router on {@code db} and says where it listens. */
    ProcessRuntime start(GlobalDb db, Optional<SecretKey> secret, RouterSettings settings) throws Exception {
        RouterServer router = new RouterServer(db, secret, settings);
        ProcessRuntime runtime = ProcessRuntime.of(ProcessConfig.builder("router").admin("127.0.0.1", adminPort)
                .build()).add(router).start();
        spec.commandLine().getOut().printf("switchboard router: daemons on %s:%d (%s), %d machine(s) in the world, "
                        + "admin %s%n", host, router.port(), secret.isPresent() ? "cluster secret" : "loopback only",
                db.world().machines().size(), adminPort < 0 ? "off" : "http://127.0.0.1:" + runtime.adminPort());
        spec.commandLine().getOut().flush();
        return runtime;
    }
}
