package io.switchboard.chat.internal;

import io.switchboard.api.Events;

import java.time.Clock;

/**
 * The chat's events: a message stored, a member in or out of a group. Bodies carry ids (as strings: snowflakes pass
 * JavaScript's exact integers, as in the chat's answers) and times in epoch milliseconds, never the text or a
 * password: a consumer that needs the text reads it from the store by id, under the store's own access rules.
 * Made only when events are on; the handlers hold {@code null} otherwise, so the routes cost one null check.
 */
public final class ChatEvents {
    public static final String MESSAGE_STORED = "chat.message.stored";
    public static final String GROUP_JOINED = "chat.group.joined";
    public static final String GROUP_LEFT = "chat.group.left";

    /** How a member came into a group. */
    public enum Via { CREATE, JOIN, INVITE }

    /** {@code chat.message.stored}: {@code seq} is the message's place in its conversation. */
    public record MessageStored(String id, String conversation, long seq, String sender, String clientId,
                                long time) {
    }

    /** {@code chat.group.joined}: {@code by} is who created the group or invited, else {@code null}. */
    public record GroupJoined(String conversation, String user, String by, String via, long time) {
    }

    /** {@code chat.group.left}. */
    public record GroupLeft(String conversation, String user, long time) {
    }

    private final Events events;
    private final Clock clock;

    private ChatEvents(Events events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The chat's events on {@code events}, or {@code null} when those are off. */
    public static ChatEvents of(Events events, Clock clock) {
        return events.enabled() ? new ChatEvents(events, clock) : null;
    }

    void stored(ChatStore.Message m) {
        events.publishJson(MESSAGE_STORED, new MessageStored(String.valueOf(m.id()), m.conversationId(), m.seq(),
                String.valueOf(m.senderId()), m.clientId(), m.createdAt()));
    }

    void joined(String conversation, long user, Long by, Via via) {
        events.publishJson(GROUP_JOINED, new GroupJoined(conversation, String.valueOf(user),
                by == null ? null : String.valueOf(by),
                via.name().toLowerCase(java.util.Locale.ROOT), clock.millis()));
    }

    void left(String conversation, long user) {
        events.publishJson(GROUP_LEFT, new GroupLeft(conversation, String.valueOf(user), clock.millis()));
    }
}
