package dev.mos.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The uri label of http_server_requests is one of a fixed set of route templates, whatever the path. */
class RequestMetricsFilterTest {

    @Test
    void fixedRoutesKeepTheirPath() {
        for (String path : new String[] {"/mcp", "/health", "/health/live", "/health/ready", "/metrics", "/hooks",
                "/v1/logs", "/v1/metrics", "/v1/traces", "/api/v1/sessions", "/api/v1/stream",
                "/api/v1/analytics/tools", "/"}) {
            assertThat(RequestMetricsFilter.route(path)).isEqualTo(path);
        }
    }

    @Test
    void sessionIdsBecomeATemplate() {
        assertThat(RequestMetricsFilter.route("/api/v1/sessions/abc-123")).isEqualTo("/api/v1/sessions/{id}");
        assertThat(RequestMetricsFilter.route("/api/v1/sessions/latest/tree"))
                .isEqualTo("/api/v1/sessions/{id}/tree");
        for (String part : new String[] {"events", "export", "analytics", "stream"}) {
            assertThat(RequestMetricsFilter.route("/api/v1/sessions/s1/" + part))
                    .isEqualTo("/api/v1/sessions/{id}/" + part);
        }
        assertThat(RequestMetricsFilter.route("/ui/app.js")).isEqualTo("/ui/**");
    }

    @Test
    void anythingElseIsOther() {
        for (String path : new String[] {"/nope", "/v1/profiles", "/api/v1/sessions/", "/api/v1/sessions/s/bogus",
                "/api/v1/sessions/s/tree/x", "/api/v1/sessions//tree", "/metrics/x", "/hooks/x", "/api/v2/x"}) {
            assertThat(RequestMetricsFilter.route(path)).as(path).isEqualTo("other");
        }
        assertThat(RequestMetricsFilter.route(null)).isEqualTo("other");
    }
}
