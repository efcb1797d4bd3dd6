package io.switchboard.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For tests that need a program from the machine (redis-server, PostgreSQL, MariaDB, node, Chromium): the skip-or-fail
 * rule, and installing pinned npm packages.
 */
public final class ExternalPrograms {
    private ExternalPrograms() {
    }

    /** Skips the test with a loud message, or fails it when CI=true: CI must run every test. */
    public static void missing(String what) {
        String message = "MISSING " + what + ": this test cannot run here"
                + " (.ci/run installs it; CI=true makes this a failure)";
        System.err.println("*** " + message + " ***");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** Whether {@code command} runs and exits 0 within 30 s (for {@code node --version} and the like). */
    public static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The executable {@code name} on the PATH, else the first of {@code fallbacks} that is executable, or null. */
    public static Path find(String name, String... fallbacks) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String fixed : fallbacks) {
            if (Files.isExecutable(Path.of(fixed))) {
                return Path.of(fixed);
            }
        }
        return null;
    }

    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * {@code npm ci} of the package.json and package-lock.json in {@code sources} into {@code target}, unless the
     * same lock file is installed there already. Skips (or fails with CI=true) when npm is missing.
     *
     * @return {@code target}
     */
    public static Path npmCi(Path sources, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target);
        Path lock = sources.resolve("package-lock.json");
        Path installedLock = target.resolve("package-lock.json");
        boolean installed = Files.isRegularFile(target.resolve("node_modules").resolve(".package-lock.json"))
                && Files.isRegularFile(installedLock)
                && Files.mismatch(lock, installedLock) == -1;
        if (installed) {
            return target;
        }
        if (!runs("npm", "--version")) {
            missing("npm (Debian package npm)");
        }
        Files.copy(sources.resolve("package.json"), target.resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
        Path log = target.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(target.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed:\n" + Files.readString(log));
        }
        return target;
    }
}
