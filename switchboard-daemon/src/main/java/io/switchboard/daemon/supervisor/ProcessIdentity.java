package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether a live pid from globaldb is truly the process this daemon started for a key, not another that reuses the
 * pid. Chosen: the command line, not the start instant (Linux gives process start times only to the boot time's
 * second, and a role writes its record after it started anyway). The process is ours when its arguments equal the
 * launch's exactly (for a role they name the jar, the role and its port) and its executable is the launch's program
 * (after PATH lookup and links); or, where {@code /proc} shows it, when its environment carries the
 * {@value #SUPERVISED_ENV} mark the supervisor gives every child, so a child survives an upgrade that moved the jar.
 * A process whose command line cannot be read is not adopted.
 */
final class ProcessIdentity {
    /** Set in every child's environment to its process key. */
    static final String SUPERVISED_ENV = "SWITCHBOARD_SUPERVISED_AS";

    private ProcessIdentity() {
    }

    /** Why {@code handle} is not the process of {@code key}, to be run as {@code launch}, or empty when it is. */
    static Optional<String> mismatch(ProcessHandle handle, ProcessKey key, LaunchPlan.Launch launch) {
        Optional<String> byCommandLine = commandLineMismatch(handle, launch);
        if (byCommandLine.isEmpty() || marked(handle.pid(), key)) {
            return Optional.empty();
        }
        return byCommandLine;
    }

    private static Optional<String> commandLineMismatch(ProcessHandle handle, LaunchPlan.Launch launch) {
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

    /** Whether the process's environment, as Linux shows it, has this key's mark. */
    private static boolean marked(long pid, ProcessKey key) {
        byte[] mark = (SUPERVISED_ENV + "=" + key).getBytes(StandardCharsets.UTF_8);
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        // Variables are NUL-terminated: the mark must be one whole entry.
        for (int start = 0; start < environ.length; ) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (Arrays.equals(environ, start, end, mark, 0, mark.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
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
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst()
                .map(ProcessIdentity::realPath);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
