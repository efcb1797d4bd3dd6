package io.switchboard.daemon.admin;

import io.switchboard.common.time.ManualTicker;
import io.switchboard.globaldb.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Logins are capped per user, so one user logging in again and again cannot end anyone else's session. */
class LoginSessionsTest {
    private final ManualTicker ticker = new ManualTicker();
    private final LoginSessions sessions = new LoginSessions(ticker, Duration.ofHours(8));

    @Test
    void oneUsersLoginsEndOnlyTheirOwnOldestSessions() {
        String operator = sessions.open("olga", Role.OPERATOR).token();
        List<String> viewer = new ArrayList<>();
        for (int i = 0; i < LoginSessions.MAX_SESSIONS + 10; i++) {
            ticker.advance(Duration.ofMillis(1));
            viewer.add(sessions.open("vic", Role.VIEWER).token());
        }

        assertThat(sessions.find(operator)).get().extracting(s -> s.caller().user()).isEqualTo("olga");
        assertThat(sessions.size()).isEqualTo(1 + LoginSessions.MAX_PER_USER);
        int kept = viewer.size() - LoginSessions.MAX_PER_USER;
        assertThat(viewer.subList(kept, viewer.size())).allMatch(token -> sessions.find(token).isPresent());
        assertThat(viewer.subList(0, kept)).noneMatch(token -> sessions.find(token).isPresent());
    }

    @Test
    void sessionsStillExpireAndTheOverallCapStillHolds() {
        String first = sessions.open("u0", Role.VIEWER).token();
        ticker.advance(Duration.ofHours(8));
        assertThat(sessions.find(first)).isEmpty();

        for (int i = 0; i < LoginSessions.MAX_SESSIONS + 1; i++) {
            sessions.open("u" + i, Role.VIEWER);
        }
        assertThat(sessions.size()).isEqualTo(LoginSessions.MAX_SESSIONS);
    }
}
