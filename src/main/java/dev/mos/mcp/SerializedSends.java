package dev.mos.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerSession;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * Wraps a transport provider so that its sessions send one message at a time. The SDK's stdio transport hands each
 * outgoing message to a unicast sink; when two threads emit at once (a tool answered on the commit-acknowledgment
 * thread, another on the reader thread, a resource notification on its own thread), the loser busy-loops for
 * 100 ms and then drops the message, so the client waits forever for an answer. On a starved CPU that happens.
 * Taking a lock around the hand-over (which only enqueues) makes the sends take turns instead.
 */
public final class SerializedSends implements McpServerTransportProvider {

    private final McpServerTransportProvider delegate;

    public SerializedSends(McpServerTransportProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        delegate.setSessionFactory(transport -> sessionFactory.create(new Transport(transport)));
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return delegate.notifyClients(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return delegate.notifyClient(sessionId, method, params);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }

    private static final class Transport implements McpServerTransport {

        private final McpServerTransport delegate;
        private final ReentrantLock sending = new ReentrantLock();

        Transport(McpServerTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.defer(() -> {
                sending.lock();
                try {
                    // Subscribing performs the hand-over now, under the lock; the future is already complete.
                    return Mono.fromFuture(delegate.sendMessage(message).toFuture());
                } finally {
                    sending.unlock();
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }
}
