package io.switchboard.cli;

import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.globaldb.ProcessRecordPart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code switchboard registry}: a ZooKeeper server in this JVM for a local cluster, until Ctrl+C. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the cluster registry: an embedded ZooKeeper server (for local clusters; use a real "
                + "ensemble in production).")
final class RegistryCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Client port (default ${DEFAULT-VALUE}, from the port plan).")
    int port = EmbeddedZooKeeperServer.DEFAULT_PORT;

    @Option(names = "--host", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

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
        // Checked before the server starts: a bad option is a usage error with nothing to clean up.
        ProcessRecordPart part = records.part(spec, "registry");
        EmbeddedZooKeeperServer server = builder.build().start();
        if (part != null) {
            part.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (part != null) {
                part.close();
            }
            server.stop();
        }, "switchboard-registry-stop"));
        System.out.printf("switchboard registry: zk://%s/switchboard (data in %s)%n", server.connectString(),
                server.dataDirectory());
        server.awaitStop();
        return 0;
    }
}
