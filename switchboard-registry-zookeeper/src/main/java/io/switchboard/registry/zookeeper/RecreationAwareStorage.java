package io.switchboard.registry.zookeeper;

import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * CuratorCache's storage, changed so that a znode deleted and created again counts as new. CuratorCache reports a
 * change only when the data version differs; a node that expired and registered again while this client was
 * disconnected comes back at version 0, and its new record (perhaps a new node id) would go unreported. A new
 * creation zxid says it is another znode.
 */
final class RecreationAwareStorage implements CuratorCacheStorage {

    private final CuratorCacheStorage delegate = CuratorCacheStorage.standard();

    @Override
    public Optional<ChildData> put(ChildData data) {
        Optional<ChildData> previous = delegate.put(data);
        if (previous.isPresent() && previous.get().getStat().getCzxid() != data.getStat().getCzxid()) {
            return Optional.empty();
        }
        return previous;
    }

    @Override
    public Optional<ChildData> remove(String path) {
        return delegate.remove(path);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public Optional<ChildData> get(String path) {
        return delegate.get(path);
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public Stream<ChildData> stream() {
        return delegate.stream();
    }
}
