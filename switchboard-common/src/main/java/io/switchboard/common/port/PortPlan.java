package io.switchboard.common.port;

/**
 * The port plan of seed 000: a port is {@code [project 1 digit][service 2 digits][program 2 digits]}, so gate
 * program 01 of project 1 listens on 10101. Used whenever a port is not given explicitly.
 *
 * <p>Project digits stop at 6 because 65535 is the highest TCP port; project 6 is further capped by that.
 */
public final class PortPlan {

    /** Service numbers of the plan. */
    public static final int GATE = 1;
    public static final int GROUP = 2;
    public static final int SERVICE = 3;
    public static final int REGISTRY = 21;
    /** The resource manager's {@code /v1} API (seed 000): 12201 in the default project. */
    public static final int RESOURCE = 22;
    public static final int ROUTER = 88;
    /** Admin HTTP of any process: program p of service s has admin port {@code [project][99][p]}. */
    public static final int ADMIN = 99;

    /** The project used when none is configured. */
    public static final int DEFAULT_PROJECT = 1;

    private PortPlan() {
    }

    /** The port of program {@code program} of service {@code service} in project {@code project}. */
    public static int port(int project, int service, int program) {
        if (project < 1 || project > 6) {
            throw new IllegalArgumentException("project must be 1..6, was " + project);
        }
        if (service < 0 || service > 99) {
            throw new IllegalArgumentException("service must be 0..99, was " + service);
        }
        if (program < 1 || program > 99) {
            throw new IllegalArgumentException("program must be 1..99, was " + program);
        }
        int port = project * 10_000 + service * 100 + program;
        if (port > 65_535) {
            throw new IllegalArgumentException("port plan overflows 65535: " + port);
        }
        return port;
    }

    /** The client port of gate program {@code program} in the default project: 10101 for program 1. */
    public static int gate(int program) {
        return port(DEFAULT_PROJECT, GATE, program);
    }

    /** The admin HTTP port of program {@code program} in the default project: 19901 for program 1. */
    public static int admin(int program) {
        return port(DEFAULT_PROJECT, ADMIN, program);
    }
}
