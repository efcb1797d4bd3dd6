package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * Seed 004's globaldb: the world, the operators and the process records. Calls are short and bounded by the store's
 * own timeout; a store that cannot answer throws {@link GlobalDbException}, never blocks for long.
 */
public interface GlobalDb extends AutoCloseable {

    /**
     * The world as last imported; empty when none was.
     *
     * @throws GlobalDbException also when the stored world is not one a world file import would take
     */
    World world();

    /**
     * Replaces the whole world at once (an import): readers see the old world or the new one, never a mix.
     *
     * @throws IllegalArgumentException when {@link WorldFile#check} refuses the world; nothing is then written
     */
    void replaceWorld(World world);

    /** Adds or replaces an operator; the password is stored salted and hashed, never as given. */
    void putUser(String name, char[] password, Role role);

    /** The operator's role if the name and password match; empty for an unknown name or a wrong password alike. */
    Optional<Role> authenticate(String name, char[] password);

    /** The names of all operators with their roles. */
    List<UserEntry> users();

    /** One operator as listed (no secret in it). */
    record UserEntry(String name, Role role) {
    }

    /** A process started: {@code startcount} + 1, its pid, {@code lastupdate} = now. */
    void recordStart(ProcessKey key, long pid, long nowMillis);

    /** A process is alive: its {@code info}, pid and {@code lastupdate} = now. */
    void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis);

    /** The daemon's supervisor state for a process (its {@code state} field); touches nothing else. */
    void recordState(ProcessKey key, String state);

    /** The record of one process, if any was written. */
    Optional<ProcessRecord> record(ProcessKey key);

    /** Every process record. */
    List<ProcessRecord> records();

    @Override
    void close();
}
