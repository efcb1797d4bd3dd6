package io.switchboard.cli;

import io.switchboard.cluster.ServiceNode;
import io.switchboard.common.port.PortPlan;
import io.switchboard.demo.DemoApp;
import io.switchboard.handler.Handlers;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code switchboard service demo --registry zk://...}: a service node, until drained or signalled. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Run a service node that links to every gate in the registry. Services: demo.")
final class ServiceCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The service to run: demo.")
    String service;

    @Option(names = "--registry", required = true, description = "Registry URI, e.g. zk://127.0.0.1:12101/switchboard")
    String registry;

    @Option(names = "--program", description = "Program number: admin port 199PP is 50 + program "
            + "(default ${DEFAULT-VALUE}).")
    int program = 1;

    @Option(names = "--id", description = "Process id in the registry (default <service>-<program>).")
    String id;

    @Option(names = "--version", description = "Version of the service code; a higher one drains older nodes "
            + "(default ${DEFAULT-VALUE}).")
    int version = 1;

    @Option(names = "--admin-port", description = "Admin HTTP port on 127.0.0.1 (default from the port plan; -1 = off).")
    Integer adminPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"demo".equals(service)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown service '" + service
                    + "' (available: demo)");
        }
        Registry opened = Registries.open(registry);
        ServiceNode node = ServiceNode.builder(opened, service, DemoApp.register(new Handlers()))
                .id(id != null ? id : service + "-" + program)
                .version(version)
                // Gates take admin programs 1..49 of the plan, nodes 51..99.
                .admin("127.0.0.1", adminPort != null ? adminPort : PortPlan.admin(50 + program))
                .build()
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.shutdown(Duration.ofSeconds(8));
            opened.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        System.out.printf("switchboard service %s: node %s (node id %d, version %d), admin http://127.0.0.1:%d%n",
                service, node.id(), node.nodeId(), version, node.adminPort());
        stopped.await();
        return 0;
    }
}
