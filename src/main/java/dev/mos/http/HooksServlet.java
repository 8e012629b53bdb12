package dev.mos.http;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.limits.SessionQuotaExceededException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * POST /hooks: Claude Code's HTTP hook target. A stored payload gets 200 with an empty body, because Claude Code
 * parses any JSON body as a hook decision and MOS must never steer it. Only a body that is not a hook payload at all
 * (not JSON, not an object, no session) gets a 400 naming the problem, which Claude Code treats as non-blocking.
 */
final class HooksServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(HooksServlet.class);

    private final HookReceiver receiver;
    private final JsonResponses json;
    private final long maxBodyBytes;

    HooksServlet(HookReceiver receiver, JsonResponses json, long maxBodyBytes) {
        this.receiver = receiver;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try {
            body = RequestBody.read(request, response, maxBodyBytes, false);
        } catch (RequestBody.TooLarge e) {
            json.error(response, 413, "hook payload exceeds server.maxRequestBytes (" + maxBodyBytes + " bytes)");
            return;
        }
        Object parsed;
        try {
            parsed = json.mapper().readValue(body, Object.class);
        } catch (JacksonException e) {
            json.error(response, 400, "body is not JSON: expected a Claude Code hook payload (a JSON object)");
            return;
        }
        if (!(parsed instanceof Map<?, ?> payload)) {
            json.error(response, 400, "body must be a JSON object (a Claude Code hook payload)");
            return;
        }
        // Asynchronous: the request thread goes back to Jetty while the store commits, and the answer leaves
        // from the thread that learns of the commit. Blocking a thread per request cost a park and a wake-up
        // each, and under load as many threads as requests in flight.
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        RequestMetricsFilter.timeUntilComplete(request, async);
        try {
            receiver.acceptAsync(payload, "hooks", RequestActor.of(request).sender())
                    .whenComplete((stored, failure) -> finish(async, response, failure));
        } catch (RuntimeException e) {
            finish(async, response, e);
        }
    }

    /** The answer once the payload is stored (200, empty) or refused; the store's failures are a 500 without detail. */
    private void finish(AsyncContext async, HttpServletResponse response, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        try {
            if (cause == null) {
                response.setStatus(200);
                response.setContentLength(0);
            } else if (cause instanceof EventRejectedException e) {
                json.error(response, 400, e.getMessage());
            } else if (cause instanceof SessionQuotaExceededException e) {
                response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
                json.error(response, 429, e.getMessage());
            } else {
                // never let a bug of ours reach Claude Code as a 500 with details; the hook is non-blocking anyway
                log.warn("hook payload not stored: {}", cause.toString());
                json.error(response, 500, "hook payload not stored: internal error");
            }
        } catch (IOException | RuntimeException e) {
            log.debug("hook answer not sent: {}", e.toString());
        } finally {
            async.complete();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "POST");
        json.error(response, 405, "POST a Claude Code hook payload (JSON) to /hooks");
    }
}
