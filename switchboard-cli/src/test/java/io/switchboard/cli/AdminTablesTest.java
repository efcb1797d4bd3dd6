package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void startStopAndKillAnswersPrintAsARowPerProcess() throws Exception {
        JsonNode one = JSON.readTree("""
                {"outcome":"OK","message":"","data":{"name":"demo-1","type":"service:demo","state":"STOPPED","pid":0,
                 "startedAtMillis":0,"startCount":1,"restarts":0,"detail":"stopped by an operator (exit code 143)"}}""");
        assertThat(AdminTables.render(one)).isEqualTo("""
                NAME    TYPE          STATE    PID  RESTARTS  DETAIL
                demo-1  service:demo  STOPPED  -    0         stopped by an operator (exit code 143)
                """);

        JsonNode all = JSON.readTree("""
                {"outcome":"FAILED","message":"files: exited before it was up","data":[
                 {"name":"demo-1","type":"service:demo","state":"RUNNING","pid":42,"restarts":0,"detail":""},
                 {"name":"files","type":"cmd","state":"BACKOFF","pid":0,"restarts":1,"detail":"exit code 1"}]}""");
        assertThat(AdminTables.render(all)).isEqualTo("""
                files: exited before it was up
                NAME    TYPE          STATE    PID  RESTARTS  DETAIL
                demo-1  service:demo  RUNNING  42   0
                files   cmd           BACKOFF  -    1         exit code 1
                """);
    }
}
