package io.switchboard.daemon.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether a live pid from globaldb is truly the process a launch would run, not another that reuses the pid: its
 * arguments must equal the launch's exactly (for a role they name the port and the jar) and its executable must be
 * the launch's program (after PATH lookup and links). A start-instant check was not chosen: Linux gives process
 * start times only to the boot time's second, and a role writes its record after it started anyway. A process
 * whose command line cannot be read is not adopted.
 */
final class ProcessIdentity {
    private ProcessIdentity() {
    }

    /** Why {@code handle} is not the process of {@code launch}, or empty when it is. */
    static Optional<String> mismatch(ProcessHandle handle, LaunchPlan.Launch launch) {
        ProcessHandle.Info info = handle.info();
        Optional<String> command = info.command();
        Optional<String[]> arguments = info.arguments();
        if (command.isEmpty() || arguments.isEmpty()) {
            return Optional.of("its command line cannot be read");
        }
        List<String> expected = launch.command().subList(1, launch.command().size());
        List<String> actual = Arrays.asList(arguments.get());
        if (!actual.equals(expected)) {
            return Optional.of("it runs " + command.get() + " " + actual + ", not " + launch.command());
        }
        Optional<Path> program = resolve(launch.command().get(0));
        if (program.isEmpty() || !program.get().equals(realPath(Path.of(command.get())))) {
            return Optional.of("it runs " + command.get() + ", not " + launch.command().get(0));
        }
        return Optional.empty();
    }

    /** The real path of a program as the shell would find it. */
    private static Optional<Path> resolve(String program) {
        if (program.indexOf(File.separatorChar) >= 0) {
            return Optional.of(realPath(Path.of(program)));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst().map(ProcessIdentity::realPath);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
