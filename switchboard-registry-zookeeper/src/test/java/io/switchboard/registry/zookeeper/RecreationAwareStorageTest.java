package io.switchboard.registry.zookeeper;

import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecreationAwareStorageTest {

    private static ChildData znode(long czxid, int version, String data) {
        Stat stat = new Stat();
        stat.setCzxid(czxid);
        stat.setVersion(version);
        return new ChildData("/switchboard/nodes/chat-1", stat, data.getBytes());
    }

    @Test
    void aZnodeCreatedAgainCountsAsNewEvenAtTheSameVersion() {
        RecreationAwareStorage storage = new RecreationAwareStorage();

        assertThat(storage.put(znode(10, 0, "first"))).isEmpty();
        assertThat(storage.put(znode(10, 1, "changed"))).hasValueSatisfying(
                previous -> assertThat(new String(previous.getData())).isEqualTo("first"));
        // Deleted and created again while we were away: version 0 again, but another creation.
        assertThat(storage.put(znode(20, 0, "again"))).isEmpty();

        assertThat(storage.size()).isEqualTo(1);
        assertThat(new String(storage.get("/switchboard/nodes/chat-1").orElseThrow().getData())).isEqualTo("again");
        assertThat(storage.remove("/switchboard/nodes/chat-1")).isPresent();
        assertThat(storage.stream()).isEmpty();
    }
}
