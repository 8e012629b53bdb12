package dev.mos.http;

import dev.mos.auth.Caller;
import dev.mos.auth.SignInCookies;
import dev.mos.auth.Tokens;
import dev.mos.config.MosConfig;
import dev.mos.health.HealthMonitor;
import dev.mos.health.Lifecycle;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.ingest.otlp.OtlpReceiver;
import dev.mos.limits.ClientLimits;
import dev.mos.mcp.ToolInvoker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.json.JsonMapper;

/** Embedded Jetty with every route MOS serves over HTTP. */
public final class HttpServer {

    private final Server server;
    private final ServerConnector connector;
    private final TlsFiles tls;

    public HttpServer(MosConfig.Server config, HttpServletStreamableServerTransportProvider mcpTransport,
            ToolInvoker invoker, HealthMonitor health, Lifecycle lifecycle, PrometheusMeterRegistry metrics,
            JsonMapper mapper, ApiFactory api, HookReceiver hooks, OtlpReceiver otlp, Tokens tokens,
            MosConfig.Limits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("mos-http");
        server = new Server(threads);
        server.setStopTimeout(config.shutdownTimeoutMs());
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        server.setErrorHandler(errors);

        if (config.tls() != null) {
            tls = new TlsFiles(Path.of(config.tls().certFile()), Path.of(config.tls().keyFile()));
            HttpConfiguration https = new HttpConfiguration();
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // clients check the certificate against the name they dialled; probes dial the pod's IP
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, tls.factory(), new HttpConnectionFactory(https));
        } else {
            tls = null;
            connector = new ServerConnector(server);
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);

        JsonResponses json = new JsonResponses(mapper);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        context.setErrorHandler(contextErrors);

        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        SignInCookies cookies = new SignInCookies(tokens, config.cookieSecret(),
                Duration.ofMillis(config.cookieTtlMs()), Clock.systemUTC());
        guard(context, config, tokens, cookies, limits, metrics, json);
        FilterHolder mcpFilter = new FilterHolder(new McpEndpointFilter(invoker, securityValidator(config),
                config.maxRequestBytes(), json));
        mcpFilter.setAsyncSupported(true);
        context.addFilter(mcpFilter, "/mcp", requests);

        ServletHolder mcp = new ServletHolder("mcp", mcpTransport);
        mcp.setAsyncSupported(true);
        context.addServlet(mcp, "/mcp");
        ServletHolder healthServlet = new ServletHolder("health", new HealthServlet(health, lifecycle, json));
        context.addServlet(healthServlet, "/health");
        context.addServlet(healthServlet, "/health/*");
        ServletHolder hooksServlet = new ServletHolder("hooks", new HooksServlet(hooks, json, config.maxRequestBytes()));
        hooksServlet.setAsyncSupported(true);
        context.addServlet(hooksServlet, "/hooks");
        context.addServlet(new ServletHolder("otlp", new OtlpServlet(otlp, json, config.maxRequestBytes())),
                "/v1/*");
        context.addServlet(new ServletHolder("auth", new SignInServlet(tokens, cookies, json)), "/auth/*");
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");
        FilterHolder sessionDelete = new FilterHolder(new SessionDeleteFilter(invoker, json));
        context.addFilter(sessionDelete, "/api/v1/sessions/*", requests);
        ServletHolder apiServlet = new ServletHolder("api", api.create(json));
        context.addServlet(apiServlet, "/api/v1/*");
        context.addServlet(new ServletHolder("dashboard", new DashboardServlet(json)), "/ui/*");
        context.addServlet(new ServletHolder("root", new RootServlet(json)), "/");

        server.setHandler(new GracefulHandler(context));
    }

    /**
     * The filters every request passes, in this order: security headers on every answer (errors too), metrics of
     * every request (refused ones too), the address budget before authentication (so guessing tokens is limited),
     * cross-site refusal, authentication and scope, then the token's budget (it needs the authenticated name).
     */
    private static void guard(ServletContextHandler context, MosConfig.Server config, Tokens tokens,
            SignInCookies cookies, MosConfig.Limits limits, PrometheusMeterRegistry metrics, JsonResponses json) {
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new SecurityHeadersFilter()), "/*", requests);
        context.addFilter(new FilterHolder(new RequestMetricsFilter(metrics)), "/*", requests);
        ClientLimits budgets = new ClientLimits(limits.requestsPerSecond(), limits.bytesPerSecond());
        if (budgets.enabled()) {
            context.addFilter(new FilterHolder(new RateLimitFilter(budgets, "address", r -> limits.exemptLoopback()
                    && isLoopback(r.getRemoteAddr()) ? null : "address " + r.getRemoteAddr(), metrics, json)),
                    "/*", requests);
        }
        context.addFilter(new FilterHolder(new SameOriginFilter(config.allowedOrigins(), json)), "/*", requests);
        context.addFilter(new FilterHolder(new BearerTokenFilter(tokens, cookies, config.publicMetrics(), json)),
                "/*", requests);
        if (budgets.enabled() && tokens.required()) {
            context.addFilter(new FilterHolder(new RateLimitFilter(budgets, "token",
                    r -> r.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? "token '" + c.name() + "'" : null,
                    metrics, json)), "/*", requests);
        }
    }

    /** The remote address is a literal IP (Jetty never resolves it), so a textual test needs no lookup. */
    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1")
                || address.equals("[::1]") || address.equals("[0:0:0:0:0:0:0:1]");
    }

    /** Builds the /api/v1 servlet once the JSON writer exists (it lives in dev.mos.http.api). */
    @FunctionalInterface
    public interface ApiFactory {
        jakarta.servlet.http.HttpServlet create(JsonResponses json);
    }

    /** The SDK's validator: localhost origins on any port plus the configured ones; anything else gets 403. */
    public static DefaultServerTransportSecurityValidator securityValidator(MosConfig.Server config) {
        List<String> origins = new ArrayList<>(List.of("http://localhost:*", "https://localhost:*",
                "http://127.0.0.1:*", "https://127.0.0.1:*", "http://[::1]:*", "https://[::1]:*"));
        origins.addAll(config.allowedOrigins());
        return DefaultServerTransportSecurityValidator.builder().allowedOrigins(origins).build();
    }

    public void start() throws Exception {
        server.start();
        if (tls != null) {
            tls.watch();
        }
    }

    /** "https" when TLS is served directly, else "http". */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets in-flight requests finish within server.shutdownTimeoutMs, then stops. */
    public void stop() throws Exception {
        if (tls != null) {
            tls.close();
        }
        server.stop();
    }
}
