package io.switchboard.cli;

import io.switchboard.resource.config.ConfigLoader;
import io.switchboard.resource.config.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code switchboard resource check --conf DIR}: reads and checks the conf directory without serving it. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a resource manager conf directory without serving it.",
                "Prints every problem as file:line:column: error|warning: message; exit 0 when there is no error, "
                        + "1 otherwise (warnings do not fail)."})
final class ResourceCheckCommand implements Callable<Integer> {

    @Option(names = "--conf", required = true, description = "The conf directory (module.conf and the files it names).")
    Path conf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult result = ConfigLoader.load(conf);
        PrintWriter out = spec.commandLine().getOut();
        result.problems().forEach(problem -> out.println(problem));
        out.printf("%s: %d error(s), %d warning(s)%n", conf, result.errors().size(), result.warnings().size());
        if (result.ok()) {
            out.printf("%d module(s), %d endpoint(s)%n", result.config().modules().size(),
                    result.config().endpoints().size());
        }
        out.flush();
        return result.ok() ? 0 : 1;
    }

}
