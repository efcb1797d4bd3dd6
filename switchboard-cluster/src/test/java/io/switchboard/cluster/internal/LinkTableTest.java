package io.switchboard.cluster.internal;

import io.switchboard.cluster.LinkCloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's links by node id: one per node, a live one is kept, closed links are not handed out. */
class LinkTableTest {
    private final TestLinks testLinks = new TestLinks();
    private final LinkTable links = new LinkTable();

    @AfterEach
    void tearDown() {
        testLinks.close();
    }

    @Test
    void anOpenLinkIsFoundByItsNodeId() {
        Link link = testLinks.open(3, "demo");
        links.up(link);
        assertThat(links.active(3)).isSameAs(link);
        assertThat(links.active(4)).isNull();
        assertThat(links.nodeIds()).containsExactly(3);
    }

    @Test
    void aSecondLinkClaimingALiveNodeIdIsRefusedAndTheLiveOneKept() {
        Link live = testLinks.open(3, "demo");
        Link impostor = testLinks.open(3, "demo");
        assertThat(links.up(live)).isTrue();

        assertThat(links.up(impostor)).isFalse();
        assertThat(live.isActive()).isTrue();
        assertThat(links.active(3)).isSameAs(live);
        assertThat(links.down(impostor, LinkCloseReason.DUPLICATE_LINK)).as("the refused link's close loses nothing")
                .isFalse();
        assertThat(links.active(3)).isSameAs(live);
    }

    @Test
    void aReconnectReplacesALinkThatIsNoLongerActive() {
        Link older = testLinks.open(3, "demo");
        Link newer = testLinks.open(3, "demo");
        links.up(older);
        older.close(LinkCloseReason.PEER_SILENT);

        assertThat(links.up(newer)).isTrue();
        assertThat(links.active(3)).isSameAs(newer);
        assertThat(links.down(older, LinkCloseReason.PEER_SILENT)).as("the replaced link's close loses nothing")
                .isFalse();
        assertThat(links.active(3)).isSameAs(newer);
        assertThat(links.down(newer, LinkCloseReason.PEER_CLOSED)).isTrue();
        assertThat(links.nodeIds()).isEmpty();
    }

    @Test
    void aClosedLinkIsNotActiveEvenBeforeItsDownArrives() {
        Link link = testLinks.open(3, "demo");
        links.up(link);
        link.close(LinkCloseReason.PEER_SILENT);
        assertThat(links.active(3)).isNull();
        assertThat(links.nodeIds()).containsExactly(3);
    }

    @Test
    void closeAllClosesEveryLink() {
        Link a = testLinks.open(3, "demo");
        Link b = testLinks.open(4, "chat");
        links.up(a);
        links.up(b);
        links.closeAll();
        assertThat(a.isActive()).isFalse();
        assertThat(b.isActive()).isFalse();
    }
}
