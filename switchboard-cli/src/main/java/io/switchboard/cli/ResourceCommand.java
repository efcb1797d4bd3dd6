package io.switchboard.cli;

import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.port.PortPlan;
import io.switchboard.resource.ResourceServer;
import io.switchboard.runtime.ProcessPart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard resource --conf DIR}: the resource manager of seed 000 (DESIGN §8), until signalled. */
@Command(name = "resource", mixinStandardHelpOptions = true,
        description = {"Run the resource manager: modules, dependencies, IDC/set topology with TCP probing, and "
                + "key/value config from a conf directory, served as HTTP/JSON under /v1 with blocking "
                + "watches (?index=N&wait=30s). The directory is watched; a bad file keeps the last good config and "
                + "shows in /v1/status.",
                "The /v1 port listens on loopback unless --bind says otherwise; requests naming another host "
                        + "(Host, Origin) are refused unless allowed with --allow-host. Its connections are capped in "
                        + "all and per IP address, and idle ones close. The same port serves a live topology page "
                        + "at /."},
        subcommands = ResourceCheckCommand.class)
final class ResourceCommand implements Callable<Integer> {

    @Option(names = "--conf", description = "The conf directory (module.conf and the files it names).")
    Path conf;

    @Option(names = "--bind", description = "Address the /v1 port listens on (default ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--port", description = "The /v1 port (default ${DEFAULT-VALUE}, from the port plan).")
    int port = ResourceServer.DEFAULT_PORT;

    @Option(names = "--allow-host", description = "A host name clients use for this server, accepted in Host and "
            + "Origin besides loopback and --bind (repeatable).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}, from the "
            + "port plan; -1 = off).")
    int adminPort = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.ADMIN, PortPlan.RESOURCE);

    @Option(names = "--max-connections", paramLabel = "N", description = "Most connections open at once on the /v1 "
            + "port, keep-alive connections and waiting watches included; one more is answered 503 with a JSON error "
            + "and closed (default ${DEFAULT-VALUE}).")
    int maxConnections = ResourceServer.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Most connections open at once on the "
            + "/v1 port from one IP address (default ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp = ResourceServer.DEFAULT_MAX_CONNECTIONS_PER_IP;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Seconds a /v1 connection with no request "
            + "in hand and no waiting watch stays open (default ${DEFAULT-VALUE}).")
    long idleTimeout = ResourceServer.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Option(names = "--stalled-reader-timeout", paramLabel = "SECONDS", description = "Seconds a /v1 connection "
            + "whose peer takes none of its answers (64 KiB waiting) stays open; it is not read meanwhile "
            + "(default ${DEFAULT-VALUE}).")
    long stalledReaderTimeout = WriteBackpressure.DEFAULT_DEADLINE.toSeconds();

    @Mixin
    ProcessRecordOptions records = new ProcessRecordOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (conf == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--conf=<conf>'");
        }
        List<ProcessPart> recordParts = records.parts(spec, "resource");
        ResourceServer.Builder builder = ResourceServer.builder(conf).bind(bind).port(port).admin("127.0.0.1",
                adminPort);
        try {
            builder.maxConnections(maxConnections).maxConnectionsPerIp(maxConnectionsPerIp)
                    .idleTimeout(Duration.ofSeconds(idleTimeout))
                    .stalledReaderTimeout(Duration.ofSeconds(stalledReaderTimeout));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        allowHosts.forEach(builder::allowHost);
        ResourceServer server = builder.build();
        recordParts.forEach(server.runtime()::add);
        server.start();
        spec.commandLine().getOut().printf("switchboard resource: %s/v1 (generation %d), admin %s, conf %s%n",
                server.address(), server.generation(), adminPort < 0 ? "off" : "http://127.0.0.1:" + server.adminPort(),
                conf);
        spec.commandLine().getOut().flush();
        UntilStopped.await(() -> server.runtime().shutdown());
        return 0;
    }
}
