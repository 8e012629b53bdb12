package dev.mos.mcp.resources;

import dev.mos.live.Delivery;
import dev.mos.live.StreamHub;
import dev.mos.live.Subscription;
import dev.mos.query.QueryService;
import dev.mos.store.SessionInfo;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications/resources/updated for the session resources that changed. It follows the same bounded live
 * feed as the SSE streams on its own thread and coalesces changes over a short window, so a busy session costs a
 * few notifications a second rather than one per event, and ingestion never waits for MCP clients. The SDK only
 * delivers an update to clients that subscribed to that URI.
 */
public final class ResourceNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResourceNotifier.class);
    static final long WINDOW_MS = 200;
    private static final int BUFFER = 10_000;

    private final StreamHub hub;
    private final QueryService query;
    private final McpAsyncServer server;
    private final Thread thread;
    private volatile boolean running = true;

    public ResourceNotifier(StreamHub hub, QueryService query, McpAsyncServer server) {
        this.hub = hub;
        this.query = query;
        this.server = server;
        this.thread = new Thread(this::run, "mos-resource-notifier");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try (Subscription sub = hub.subscribe(null, BUFFER)) {
                while (running && !sub.ended()) {
                    Delivery first = sub.poll(1000);
                    if (first == null) {
                        if (sub.overflowed()) {
                            // Which sessions changed is unknown: tell subscribers of every session to re-read.
                            Set<String> all = new LinkedHashSet<>();
                            query.sessionsSnapshot().stream().map(SessionInfo::sessionId).forEach(all::add);
                            notify(all);
                            break;
                        }
                        continue;
                    }
                    Set<String> changed = new LinkedHashSet<>();
                    changed.add(first.event().sessionId());
                    long until = System.nanoTime() + WINDOW_MS * 1_000_000;
                    long left;
                    while ((left = until - System.nanoTime()) > 0) {
                        Delivery d = sub.poll(left / 1_000_000 + 1);
                        if (d == null) {
                            break;
                        }
                        changed.add(d.event().sessionId());
                    }
                    notify(changed);
                }
                if (sub.ended()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("resource notifications failed: {}", e.toString());
            }
        }
    }

    private void notify(Set<String> sessions) {
        send(SessionResources.SESSIONS);
        for (String id : sessions) {
            send(SessionResources.sessionUri(id));
            send(SessionResources.treeUri(id));
        }
    }

    private void send(String uri) {
        server.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri))
                .timeout(Duration.ofSeconds(5))
                .onErrorResume(e -> {
                    log.debug("resource update for {} not delivered: {}", uri, e.toString());
                    return reactor.core.publisher.Mono.empty();
                })
                .block();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
