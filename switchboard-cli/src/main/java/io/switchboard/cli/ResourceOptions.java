package io.switchboard.cli;

import io.switchboard.resource.ResourceClient;
import io.switchboard.resource.ResourcePart;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --resource http://host:port --module M --idc I --set S}: the process takes its module's kv config from the
 * resource manager at start, follows its dependencies' live endpoints, and (without {@code --registry}) finds the
 * cluster on the manager's topology. A kv key names an option of the command ({@code max_connections} or
 * {@code max-connections} is {@code --max-connections}) and becomes its value unless the command line gives it;
 * other keys are left to the app (logged).
 */
final class ResourceOptions {
    /** Options a kv entry may not set: these say where the kv comes from. */
    private static final Set<String> OWN = Set.of("--resource", "--module", "--idc", "--set");

    @Option(names = "--resource", description = "The resource manager, http://host:port: the module's kv config "
            + "at start (keys name options, the command line wins), its dependencies followed live, and the "
            + "registry resource://host:port unless --registry is given.")
    URI resource;

    @Option(names = "--module", description = "This process's module in the resource manager's config (default: "
            + "the gate's 'gate', a service node's service name).")
    String module;

    @Option(names = "--idc", description = "This process's IDC, so dependencies come nearest first.")
    String idc;

    @Option(names = "--set", description = "This process's set within its IDC.")
    String set;

    private ResourcePart part;

    boolean enabled() {
        return resource != null;
    }

    /**
     * Reads the module's kv config and sets the options of {@code spec} it names that the command line left alone;
     * returns the keys that name no option. A no-op without {@code --resource}.
     */
    List<String> applyKv(CommandSpec spec, String defaultModule) throws InterruptedException {
        if (resource == null) {
            return List.of();
        }
        if (!"http".equals(resource.getScheme()) || resource.getHost() == null || resource.getPort() < 0) {
            throw new ParameterException(spec.commandLine(), "--resource is http://host:port of the resource "
                    + "manager, got " + resource);
        }
        String name = module != null ? module : defaultModule;
        part = new ResourcePart(ResourceClient.builder(resource, name).idc(idc).set(set));
        Map<String, String> kv;
        try {
            kv = part.client().kv();
        } catch (IOException e) {
            part.close();
            throw new ParameterException(spec.commandLine(), "cannot read the kv config of module " + name
                    + " from the resource manager " + resource + ": " + e.getMessage());
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        List<String> left = new ArrayList<>();
        kv.forEach((key, value) -> {
            OptionSpec option = spec.findOption("--" + key.toLowerCase(Locale.ROOT).replace('_', '-'));
            if (option == null || OWN.contains(option.longestName()) || option.usageHelp() || option.versionHelp()) {
                left.add(key);
            } else if (given == null || !given.hasMatchedOption(option)) {
                option.setValue(convert(spec, option, key, value));
            }
        });
        return left;
    }

    /** The registry URI: {@code registry} when given, else the resource manager's topology. */
    String registry(CommandSpec spec, String registry) {
        if (registry != null) {
            return registry;
        }
        if (resource == null) {
            throw new ParameterException(spec.commandLine(), "give --registry, or --resource to run on the resource "
                    + "manager's topology");
        }
        return "resource://" + resource.getHost() + ":" + resource.getPort();
    }

    /** The part that follows the dependencies, for the process's runtime; null without {@code --resource}. */
    ResourcePart part() {
        return part;
    }

    /** Converts {@code value} with picocli's own converter for the option's type, through a one-option command. */
    private static Object convert(CommandSpec spec, OptionSpec option, String key, String value) {
        CommandSpec one = CommandSpec.create().addOption(OptionSpec.builder("--value").type(option.type())
                .auxiliaryTypes(option.auxiliaryTypes()).converters(option.converters()).arity("1").build());
        try {
            new CommandLine(one).parseArgs("--value", value);
        } catch (ParameterException e) {
            throw new ParameterException(spec.commandLine(), "kv key '" + key + "' of the resource manager: '" + value
                    + "' is not a value of " + option.longestName() + " (" + e.getMessage() + ")");
        }
        return one.findOption("--value").getValue();
    }
}
