package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessSpec;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The launch of the world's process types: {@code cmd} runs {@code cmd args...} with the spec's {@code env}; a
 * Switchboard role runs {@code java <jvmArgs> -jar <jar> <role command> <host and port options> <args>} with the
 * process-record environment ({@code SWITCHBOARD_GLOBALDB}, {@code SWITCHBOARD_PROCESS_KEY},
 * {@code SWITCHBOARD_RECORD_INTERVAL_MS}) and the spec's {@code env}. Everything else, the cluster secret included,
 * is inherited from the daemon; a {@code cmd} inherits neither the cluster secret nor the admin token
 * ({@link LaunchPlan#SECRET_ENV}).
 *
 * <p>Roles: {@code gate}, {@code registry} and {@code demo} get {@code --host HOST --port PORT}; {@code resource} gets
 * {@code --bind HOST --port PORT}; {@code service:NAME} runs {@code service NAME} and takes host and port from
 * neither (a service node dials the gates; its options go in {@code args}). A missing host or a port of 0 is left
 * to the command's default.
 */
public final class SwitchboardLaunchPlan implements LaunchPlan {
    private static final String SERVICE_PREFIX = "service:";
    private final Path java;
    /** What follows the JVM arguments to name the program: {@code -jar <jar>}, or a class path and main class. */
    private final List<String> program;
    private final List<String> jvmArgs;
    private final String globalDbUrl;
    private final Duration recordInterval;

    public SwitchboardLaunchPlan(Path java, Path jar, List<String> jvmArgs, String globalDbUrl,
                                 Duration recordInterval) {
        this(java, List.of("-jar", Objects.requireNonNull(jar, "jar").toString()), jvmArgs, globalDbUrl,
                recordInterval);
    }

    private SwitchboardLaunchPlan(Path java, List<String> program, List<String> jvmArgs, String globalDbUrl,
                                  Duration recordInterval) {
        this.java = Objects.requireNonNull(java, "java");
        this.program = List.copyOf(program);
        this.jvmArgs = List.copyOf(jvmArgs);
        this.globalDbUrl = Objects.requireNonNull(globalDbUrl, "globalDbUrl");
        this.recordInterval = Objects.requireNonNull(recordInterval, "recordInterval");
    }

    /** With this JVM's {@code java} and the jar this class was loaded from (the daemon's own switchboard.jar). */
    public static SwitchboardLaunchPlan ofThisJvm(List<String> jvmArgs, String globalDbUrl, Duration recordInterval) {
        return new SwitchboardLaunchPlan(thisJava(), thisJar(), jvmArgs, globalDbUrl, recordInterval);
    }

    /**
     * Roles run as {@code java <jvmArgs> -cp <classPath> <mainClass>} instead of from a jar: for a daemon started from
     * a build tree (its tests) rather than from switchboard.jar.
     */
    public static SwitchboardLaunchPlan ofClassPath(String classPath, String mainClass, List<String> jvmArgs,
                                                    String globalDbUrl, Duration recordInterval) {
        return new SwitchboardLaunchPlan(thisJava(), List.of("-cp", classPath, mainClass), jvmArgs, globalDbUrl,
                recordInterval);
    }

    static Path thisJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    static Path thisJar() {
        try {
            return Path.of(SwitchboardLaunchPlan.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell which jar the daemon runs from; configure it", e);
        }
    }

    @Override
    public Launch launch(ProcessKey key, ProcessSpec spec) {
        // The spec's env first: the record contract below must win over a spec that names it (a world read from
        // globaldb is not checked as a world file is), or the child would write another process's record.
        Map<String, String> env = spec.env() == null ? new HashMap<>() : new HashMap<>(spec.env());
        List<String> command = new ArrayList<>();
        if (spec.isCommand()) {
            if (spec.cmd() == null || spec.cmd().isBlank()) {
                throw new IllegalArgumentException(spec.name() + ": a cmd process needs 'cmd'");
            }
            command.add(spec.cmd());
        } else {
            command.add(java.toString());
            command.addAll(jvmArgs);
            command.addAll(program);
            command.addAll(roleArgs(spec));
            env.put(GLOBALDB_ENV, globalDbUrl);
            env.put(PROCESS_KEY_ENV, key.toString());
            env.put(RECORD_INTERVAL_ENV, Long.toString(recordInterval.toMillis()));
        }
        if (spec.args() != null) {
            command.addAll(spec.args());
        }
        return new Launch(command, env);
    }

    private static List<String> roleArgs(ProcessSpec spec) {
        String type = spec.type();
        if (type != null && type.startsWith(SERVICE_PREFIX) && type.length() > SERVICE_PREFIX.length()) {
            return List.of("service", type.substring(SERVICE_PREFIX.length()));
        }
        String hostOption = switch (type == null ? "" : type) {
            case "gate", "registry", "demo", "router" -> "--host";
            case "resource" -> "--bind";
            default -> throw new IllegalArgumentException(spec.name() + ": unknown process type '" + type
                    + "' (cmd, gate, service:NAME, registry, resource, demo, router)");
        };
        List<String> args = new ArrayList<>(List.of(type));
        if (spec.host() != null && !spec.host().isBlank()) {
            args.add(hostOption);
            args.add(spec.host());
        }
        if (spec.port() > 0) {
            args.add("--port");
            args.add(Integer.toString(spec.port()));
        }
        return args;
    }
}
