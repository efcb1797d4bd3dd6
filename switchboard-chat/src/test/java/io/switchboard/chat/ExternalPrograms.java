package io.switchboard.chat;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The skip-or-fail rule for tests that need a program from the machine (PostgreSQL, node, Chromium). */
final class ExternalPrograms {
    private ExternalPrograms() {
    }

    /** Skips the test with a loud message, or fails it when CI=true: CI must run every test. */
    static void missing(String what) {
        String message = "MISSING " + what + ": this test cannot run here"
                + " (.ci/run installs it; CI=true makes this a failure)";
        System.err.println("*** " + message + " ***");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
