package io.switchboard.chat;

import java.util.UUID;

/** The chat flows on the embedded H2 database (in memory, one per test). */
class H2ChatFlowTest extends ChatFlowContract {
    @Override
    String newDatabaseUrl() {
        return ChatConfig.h2MemoryUrl("chat-" + UUID.randomUUID());
    }
}
