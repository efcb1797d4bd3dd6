package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecordPart;
import io.switchboard.globaldb.ProcessSpec;

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
