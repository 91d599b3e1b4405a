package io.breakwater.servlet;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** A client endpoint for Breakwater's client that collects the text messages and the close reason it gets. */
@ClientEndpoint
public class CollectingClient {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    @OnMessage
    public void message(String text) {
        messages.add(text);
    }

    @OnClose
    public void close(CloseReason reason) {
        closed.complete(reason);
    }
}
