package io.breakwater.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploying an application does on embedded Jetty 12.1 (and, for the threads of its upgrade mechanism,
 * embedded Tomcat 11): failures, and the choice of upgrade mechanism.
 */
class DeploymentTest {

    /** Two text parameters in one @OnMessage method: the specification allows one message parameter. */
    @ServerEndpoint("/broken")
    public static class BrokenEndpoint {
        @OnMessage
        public void twoMessages(String first, String second) {
        }
    }

    @ServerEndpoint("/echo")
    public static class EchoEndpoint {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    private static final String JETTY_THREADS = "jetty-http";
    /** The executor of an embedded Tomcat's connector on 127.0.0.1: "http-nio-127.0.0.1-auto-1-exec-3". */
    private static final String TOMCAT_THREADS = "http-nio-";
    /** Breakwater's callback pool in a web application (ServerThreads). */
    private static final String CALLBACK_THREADS = "breakwater-callback-";

    private Server server;

    private int start(ServletContextHandler context) throws Exception {
        return start(context, new QueuedThreadPool());
    }

    private int start(ServletContextHandler context, QueuedThreadPool jettyThreads) throws Exception {
        jettyThreads.setName(JETTY_THREADS);
        server = EmbeddedJetty.server(jettyThreads);
        return EmbeddedJetty.start(server, context);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void anInvalidEndpointFailsTheDeploymentNamingClassMethodAndRule() {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), BrokenEndpoint.class);
        Exception failure = assertThrows(Exception.class, () -> start(context));
        String messages = messageChain(failure);
        assertTrue(messages.contains(BrokenEndpoint.class.getName()), messages);
        assertTrue(messages.contains("twoMessages"), messages);
        assertTrue(messages.contains("DeploymentException") || messages.contains("Deploying the WebSocket endpoints failed"),
                messages);
    }

    @Test
    void aDeploymentErrorInAListenerTakesTheApplicationsEndpointsOutOfService() throws Exception {
        // WSC-5.2.1-3: the error halts deployment; endpoints deployed before it are removed from service.
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        BlockingQueue<String> listenerSaw = new LinkedBlockingQueue<>();
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                ServerContainer container = (ServerContainer) event.getServletContext()
                        .getAttribute(ServerContainer.class.getName());
                try {
                    container.addEndpoint(BrokenEndpoint.class);
                    listenerSaw.add("deployed");
                } catch (DeploymentException expected) {
                    listenerSaw.add(expected.getMessage());
                }
                try {
                    container.addEndpoint(ServerEndpointConfig.Builder.create(EchoEndpoint.class, "/later").build());
                    listenerSaw.add("deployed later");
                } catch (DeploymentException expected) {
                    listenerSaw.add(expected.getMessage());
                }
            }
        });
        int port = start(context);

        String first = listenerSaw.poll(10, TimeUnit.SECONDS);
        assertTrue(first != null && first.contains(BrokenEndpoint.class.getName()), first);
        String later = listenerSaw.poll(10, TimeUnit.SECONDS);
        assertTrue(later != null && later.contains("halted"), later);
        for (String path : List.of("/app/echo", "/app/later")) {
            String response = RawHttp.exchange(port, RawHttp.handshake(path));
            assertTrue(response.startsWith("HTTP/1.1 404"), path + ": " + response);
        }
    }

    /** Counts how many of its callbacks run at once, and answers with a blocking send. */
    @ServerEndpoint("/busy")
    public static class BusyEndpoint {
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

        @OnMessage
        public void message(String text, Session session) throws Exception {
            MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
                // 1 MiB: completes only through the transport's threads, never the callback threads.
                session.getBasicRemote().sendText(text + ":" + "x".repeat(1 << 20));
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    /** JDK clients of one endpoint, client i having sent "client" + i. */
    private record Clients(List<JdkTextListener> listeners, List<WebSocket> sockets) {
        static Clients eachSendingItsName(int port, String path, int count) throws Exception {
            Clients clients = new Clients(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < count; i++) {
                clients.listeners.add(new JdkTextListener());
                clients.sockets.add(JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + path),
                        clients.listeners.get(i)));
            }
            for (int i = 0; i < count; i++) {
                clients.sockets.get(i).sendText("client" + i, true).get(10, TimeUnit.SECONDS);
            }
            return clients;
        }

        void close() throws Exception {
            for (WebSocket socket : sockets) {
                socket.sendClose(1000, "").get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void callbacksRunOnAsManyThreadsAsConfiguredAndBlockingSendsStillComplete() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER, "2");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), BusyEndpoint.class);
        int port = start(context);
        BusyEndpoint.MOST_AT_ONCE.set(0);
        int clients = 6;
        Clients connected = Clients.eachSendingItsName(port, "/app/busy", clients);
        for (int i = 0; i < clients; i++) {
            String answer = connected.listeners().get(i).messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(answer, "client " + i + " got no answer");
            assertEquals("client" + i + ":" + "x".repeat(1 << 20), answer);
        }
        assertTrue(BusyEndpoint.MOST_AT_ONCE.get() <= 2, "at once: " + BusyEndpoint.MOST_AT_ONCE.get());
        connected.close();
    }

    /** Answers with the name of the thread its message handler ran on. */
    @ServerEndpoint("/thread")
    public static class ThreadEndpoint {
        @OnMessage
        public String message(String text) {
            return Thread.currentThread().getName();
        }
    }

    @Test
    void onJettyAMessageIsHandledOnTheThreadThatReadIt() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), ThreadEndpoint.class);
        assertMessagesAreHandledOnTheThreadsThatReadThem(start(context), JETTY_THREADS);
    }

    @Test
    void onTomcatAMessageIsHandledOnTheThreadThatReadIt(@TempDir Path baseDir) throws Exception {
        // Tomcat's own upgrade (TomcatUpgrade), chosen whatever the build's run of the Tomcat tests says.
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, Map.of(UpgradeMechanism.PARAMETER, "auto"),
                ThreadEndpoint.class);
        try {
            assertMessagesAreHandledOnTheThreadsThatReadThem(tomcat.port(), TOMCAT_THREADS);
        } finally {
            tomcat.stop();
        }
    }

    /**
     * What Breakwater promises (ARCHITECTURE.md, the session layer): within the callback limit, a message is
     * handled on the container thread that read it, unless an earlier callback of its session still runs on
     * another thread; that thread then handles it, after the earlier one, since a session's callbacks run one
     * at a time and in order (Jakarta WebSocket 2.2 §5.1) and a reading thread never waits. onOpen runs on a
     * callback thread, which also handles a message that came before onOpen returned (held until then). That
     * message's answer is a blocking send there: it reaches us before the callback thread has left the
     * session, so the next message may find it still there, and the next; on a loaded machine the first few
     * answers may come from it. An answer from the container's thread is written only once that thread has
     * left the session's callbacks (the replies of a read go out after them), so from the first such answer
     * on nothing runs them elsewhere, and every later message is the container's.
     */
    private static void assertMessagesAreHandledOnTheThreadsThatReadThem(int port, String readers) throws Exception {
        JdkTextListener client = new JdkTextListener();
        WebSocket ws = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/app/thread"), client);
        List<String> threads = new ArrayList<>();
        while (threads.isEmpty() || !threads.get(threads.size() - 1).startsWith(readers)) {
            assertTrue(threads.size() < 40, "no message was handled on the container's thread: " + threads);
            if (!threads.isEmpty()) {
                Thread.sleep(10L * threads.size()); // lets the callback thread leave the session: not a bound
            }
            threads.add(handlerThreadOf(ws, client));
            assertTrue(threads.get(threads.size() - 1).matches(readers + ".*|" + CALLBACK_THREADS + ".*"),
                    threads.toString());
        }
        int firstOnContainer = threads.size() - 1;
        for (int i = 0; i < 20; i++) {
            threads.add(handlerThreadOf(ws, client));
            // The container's own thread, not a hand-off to Breakwater's callback pool.
            assertTrue(threads.get(threads.size() - 1).startsWith(readers),
                    "after message " + firstOnContainer + " on the container's thread: " + threads);
        }
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    /** Sends a message to {@link ThreadEndpoint} and returns its answer: the thread that handled it. */
    private static String handlerThreadOf(WebSocket ws, JdkTextListener client) throws Exception {
        ws.sendText("which thread?", true).get(10, TimeUnit.SECONDS);
        String thread = client.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(thread, "no answer");
        return thread;
    }

    /** Holds every message's handler until released. */
    @ServerEndpoint("/held")
    public static class HeldEndpoint {
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static final AtomicInteger HELD = new AtomicInteger();

        @OnMessage
        public String message(String text) throws InterruptedException {
            HELD.incrementAndGet();
            RELEASE.await(30, TimeUnit.SECONDS);
            return text;
        }
    }

    /** Plain HTTP next to the endpoints. */
    public static class PlainServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("served");
        }
    }

    @Test
    void handlersThatBlockHoldNoMoreOfJettysThreadsThanTheCallbackLimit() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER, "2");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), HeldEndpoint.class);
        context.addServlet(PlainServlet.class, "/plain");
        // Ten threads: Jetty leases two (acceptor, selector); ten blocked handlers on Jetty's threads
        // would leave none for anything else.
        int port = start(context, new QueuedThreadPool(10));
        int clients = 10;
        Clients connected = Clients.eachSendingItsName(port, "/app/held", clients);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (HeldEndpoint.HELD.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        String response = RawHttp.exchange(port, "GET /app/plain HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertEquals(2, HeldEndpoint.HELD.get(), "handlers running at once");
        HeldEndpoint.RELEASE.countDown();
        for (int i = 0; i < clients; i++) {
            assertEquals("client" + i, connected.listeners().get(i).messages.poll(30, TimeUnit.SECONDS));
        }
        assertEquals(clients, HeldEndpoint.HELD.get());
        connected.close();
    }

    /** Holds every message's handler until released; for the default callback limit. */
    @ServerEndpoint("/held-by-default")
    public static class HeldByDefaultEndpoint {
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static final AtomicInteger HELD = new AtomicInteger();

        @OnMessage
        public String message(String text) throws InterruptedException {
            HELD.incrementAndGet();
            RELEASE.await(60, TimeUnit.SECONDS);
            return text;
        }
    }

    @Test
    void byDefaultHandlersThatBlockLeaveJettyMostOfItsDefaultPool() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), HeldByDefaultEndpoint.class);
        context.addServlet(PlainServlet.class, "/plain");
        QueuedThreadPool jettysDefaultPool = new QueuedThreadPool();
        assertEquals(200, jettysDefaultPool.getMaxThreads());
        int port = start(context, jettysDefaultPool);
        // More sessions than Jetty has threads, each handler blocking: with a callback limit as large as
        // the pool, they took every thread Jetty had left.
        int sessions = 220;
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                sockets.add(RawWebSocket.open(port, "/app/held-by-default"));
            }
            for (int i = 0; i < sessions; i++) {
                sockets.get(i).send(true, 0, RawWebSocket.TEXT, RawWebSocket.utf8("client" + i));
            }
            int limit = ServerThreads.defaultCallbackThreads(200);
            awaitSteady(HeldByDefaultEndpoint.HELD, limit);

            long asked = System.nanoTime();
            String response;
            try {
                response = RawHttp.exchange(port,
                        "GET /app/plain HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 20_000);
            } catch (SocketTimeoutException starved) {
                throw new AssertionError("a plain GET got no answer within 20 s while "
                        + HeldByDefaultEndpoint.HELD.get() + " handlers blocked", starved);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);

            assertTrue(response.startsWith("HTTP/1.1 200"), "after " + millis + " ms: " + response);
            assertEquals(limit, HeldByDefaultEndpoint.HELD.get(), "handlers running at once");
            HeldByDefaultEndpoint.RELEASE.countDown();
            for (int i = 0; i < sessions; i++) {
                assertEquals("client" + i, sockets.get(i).readMessage(), "session " + i);
            }
            assertEquals(sessions, HeldByDefaultEndpoint.HELD.get());
        } finally {
            HeldByDefaultEndpoint.RELEASE.countDown();
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Waits until {@code count} reaches {@code least} and then stays unchanged for a moment. */
    private static void awaitSteady(AtomicInteger count, int least) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        long steadySince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = count.get();
            if (now != last) {
                last = now;
                steadySince = System.nanoTime();
            } else if (now >= least && System.nanoTime() - steadySince > TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aNumericParameterThatIsNotAPositiveNumberFailsTheDeployment() throws Exception {
        for (String parameter : List.of(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER,
                BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER,
                BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER)) {
            for (String value : List.of("none", "0", "-5")) {
                ServletContextHandler context = new ServletContextHandler("/app");
                context.setInitParameter(parameter, value);
                context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
                String messages = messageChain(assertThrows(Exception.class, () -> start(context)));
                assertTrue(messages.contains(parameter) && messages.contains("'" + value + "'"), messages);
                server.stop();
            }
        }
    }

    @Test
    void anAllowedOriginThatIsNoOriginFailsTheDeployment() throws Exception {
        String parameter = BreakwaterServletContainerInitializer.ALLOWED_ORIGINS_PARAMETER;
        for (String value : List.of("https://chat.example.com, https://chat.example.com/", "*", " , ")) {
            ServletContextHandler context = new ServletContextHandler("/app");
            context.setInitParameter(parameter, value);
            context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
            String messages = messageChain(assertThrows(Exception.class, () -> start(context)));
            assertTrue(messages.contains(parameter), messages);
            server.stop();
        }
    }

    /** Answers with what an async send of 2 KiB came to. */
    @ServerEndpoint("/queue")
    public static class QueueEndpoint {
        @OnMessage
        public String message(String text, Session session) throws InterruptedException {
            try {
                session.getAsyncRemote().sendText("y".repeat(2048)).get();
                return "sent";
            } catch (java.util.concurrent.ExecutionException e) {
                return "refused: " + e.getCause().getClass().getSimpleName();
            }
        }
    }

    @Test
    void theOutgoingQueueLimitCanBeSetForTheApplication() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter(BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER, "1024");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), QueueEndpoint.class);
        int port = start(context);
        JdkTextListener client = new JdkTextListener();
        WebSocket ws = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/app/queue"), client);
        ws.sendText("go", true).get(10, TimeUnit.SECONDS);
        assertEquals("refused: SendQueueFullException", client.messages.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void thePortableUpgradeCanBeChosen() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter("io.breakwater.servlet.upgrade", "servlet");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        int port = start(context);
        // The JDK's client sends Content-Length: 0, which Jetty's HttpServletRequest.upgrade needs.
        JdkTextListener client = new JdkTextListener();
        WebSocket ws = JdkTextListener.connect(URI.create("ws://127.0.0.1:" + port + "/app/echo"), client);
        ws.sendText("portable", true).get(10, TimeUnit.SECONDS);
        assertEquals("portable", client.messages.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUnknownUpgradeChoiceFailsTheDeployment() {
        ServletContextHandler context = new ServletContextHandler("/app");
        context.setInitParameter("io.breakwater.servlet.upgrade", "fast");
        context.addServletContainerInitializer(new BreakwaterServletContainerInitializer(), EchoEndpoint.class);
        String messages = messageChain(assertThrows(Exception.class, () -> start(context)));
        assertTrue(messages.contains("io.breakwater.servlet.upgrade") && messages.contains("fast"), messages);
    }

    private static String messageChain(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                messages.append(messageChain(suppressed));
            }
        }
        return messages.toString();
    }
}
