package io.switchboard.daemon.supervisor;

import io.switchboard.cluster.protocol.ClusterSecret;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecordPart;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.runtime.ProcessConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** How a process spec becomes a program to run: its argv and the environment it adds to the daemon's own. */
@FunctionalInterface
public interface LaunchPlan {

    /** What a Switchboard role needs to write its own globaldb record (the process-record part reads them). */
    String GLOBALDB_ENV = ProcessRecordPart.GLOBALDB_ENV;
    String PROCESS_KEY_ENV = ProcessRecordPart.PROCESS_KEY_ENV;
    String RECORD_INTERVAL_ENV = ProcessRecordPart.RECORD_INTERVAL_ENV;
    /**
     * Never inherited from the daemon's own environment: a plain program that happens to be a Switchboard process
     * must not write its record under the daemon's key, or at all (its daemon writes it).
     */
    Set<String> RECORD_ENV = Set.of(GLOBALDB_ENV, PROCESS_KEY_ENV, RECORD_INTERVAL_ENV);
    /**
     * Not inherited by a plain {@code cmd} program: it is no Switchboard process, so it has no use for the cluster
     * secret or the admin token, and any program of the world would otherwise read them (its spec's {@code env} may
     * still set them).
     */
    Set<String> SECRET_ENV = Set.of(ClusterSecret.ENV, ProcessConfig.ADMIN_TOKEN_ENV);

    /**
     * The launch of {@code spec}.
     *
     * @throws IllegalArgumentException when the spec cannot be run (an unknown type, a {@code cmd} without a program)
     */
    Launch launch(ProcessKey key, ProcessSpec spec);

    /** A program's argv (the program first) and the variables added to the inherited environment. */
    record Launch(List<String> command, Map<String, String> env) {

        public Launch {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a launch needs a program");
            }
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }
    }
}
