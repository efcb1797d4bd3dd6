package io.switchboard.cli;

import io.switchboard.common.port.PortPlan;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code switchboard registry}: a ZooKeeper server in this JVM for a local cluster, until signalled; a process of
 * the same life as every other kind (admin {@code /health}, {@code /metrics}, drain, its globaldb record).
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the cluster registry: an embedded ZooKeeper server (for local clusters; use a real "
                + "ensemble in production).")
final class RegistryCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Client port (default ${DEFAULT-VALUE}, from the port plan).")
    int port = EmbeddedZooKeeperServer.DEFAULT_PORT;

    @Option(names = "--host", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}, from the "
            + "port plan; -1 = off).")
    int adminPort = PortPlan.admin(PortPlan.REGISTRY);

    @Mixin
    ProcessRecordOptions records = new ProcessRecordOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Data folder (default: a temporary folder, removed on exit).")
    Path data;

    @Override
    public Integer call() throws Exception {
        EmbeddedZooKeeperServer.Builder builder = EmbeddedZooKeeperServer.builder().host(host).port(port);
        if (data != null) {
            builder.dataDirectory(data);
        }
        // Checked before anything starts: a bad option is a usage error with nothing to clean up.
        List<ProcessPart> recordParts = records.parts(spec, "registry");
        ZooKeeperServerPart zooKeeper = new ZooKeeperServerPart(builder.build());
        ProcessRuntime runtime = ProcessRuntime.of(ProcessConfig.builder("registry").admin("127.0.0.1", adminPort)
                .workerThreads(1).build()).add(zooKeeper);
        recordParts.forEach(runtime::add);
        runtime.start();
        EmbeddedZooKeeperServer server = zooKeeper.server();
        spec.commandLine().getOut().printf("switchboard registry: zk://%s/switchboard (data in %s), admin %s%n",
                server.connectString(), server.dataDirectory(),
                adminPort < 0 ? "off" : "http://127.0.0.1:" + runtime.adminPort());
        spec.commandLine().getOut().flush();
        UntilStopped.await(runtime::shutdown);
        return 0;
    }
}
