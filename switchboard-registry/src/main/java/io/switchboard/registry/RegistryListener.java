package io.switchboard.registry;

/**
 * Receives the changes of a registry's node list; see {@link Registry#watch(RegistryListener)}.
 *
 * <p>Calls for one subscription never overlap and come in the order the registry saw the changes, so a listener
 * needs no locking of its own for state that only it touches. It should return quickly: the calls for other
 * subscriptions may share its thread.
 */
@FunctionalInterface
public interface RegistryListener {

    void onEvent(RegistryEvent event);
}
