package dev.coord.server.stdio;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Makes a transport provider's session transport send one message at a time.
 *
 * <p>The SDK's stdio transport (2.1.0) puts each outgoing message into a unicast sink with {@code tryEmitNext}; two
 * threads sending at the same moment (two tool calls ending together: sync handlers run concurrently) make one of
 * them fail with "Failed to enqueue message", and that response is silently lost, so the client waits for it until
 * its own time-out. Here every send is subscribed under one lock; the SDK's sink emits during that subscription
 * once the transport is ready, so no two emissions overlap.
 */
public final class SerializedTransportProvider implements McpServerTransportProvider {
    private final McpServerTransportProvider delegate;

    public SerializedTransportProvider(McpServerTransportProvider delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        delegate.setSessionFactory(transport -> factory.create(new SerializedTransport(transport)));
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

    /** Sends through the delegate one message at a time. */
    static final class SerializedTransport implements McpServerTransport {
        private final McpServerTransport delegate;
        private final Object sending = new Object();

        SerializedTransport(McpServerTransport delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.defer(() -> {
                CompletableFuture<Void> sent;
                synchronized (sending) {
                    sent = delegate.sendMessage(message).toFuture();
                }
                return Mono.fromFuture(sent);
            });
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
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }
}
