package io.breakwater.samples.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.samples.chat.ClientMessage;
import io.breakwater.samples.chat.ClientMessageEncoder;
import io.breakwater.samples.chat.JdkMember;
import io.breakwater.samples.chat.ServerMessage;
import io.breakwater.samples.chat.ServerMessageDecoder;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/breakwater-chat.war, as built, deployed on Tomcat 11 without Tomcat's own WebSocket
 * implementation: the container finds Breakwater's initializer in WEB-INF/lib and the endpoints by
 * scanning, as it would in a stock Tomcat whose WebSocket jars were removed.
 */
class ChatWarOnTomcatIT {

    private static final Path WAR = Path.of("target", "breakwater-chat.war");

    @TempDir
    static Path tomcatBase;

    private static Tomcat tomcat;
    private static int port;

    @BeforeAll
    static void deploy() throws Exception {
        assertTrue(Files.isRegularFile(WAR), WAR + " is missing; `mvn verify` builds it in the package phase");
        tomcat = new Tomcat();
        tomcat.setBaseDir(tomcatBase.toString());
        Files.createDirectories(tomcatBase.resolve("webapps")); // where Tomcat unpacks the WAR
        tomcat.setPort(0);
        tomcat.getConnector();
        Context application = tomcat.addWebapp("/breakwater-chat", WAR.toAbsolutePath().toString());
        // Scan the WAR only, not this test's class path, which holds the same classes unpackaged.
        ((StandardJarScanner) application.getJarScanner()).setScanClassPath(false);
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterAll
    static void undeploy() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void servesThePageUnderTheContextPath() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/breakwater-chat/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Breakwater chat</title>"));
    }

    @Test
    void carriesTheApplicationButNeitherTheEmbeddedServerNorTheConsoleClient() throws Exception {
        List<String> classes;
        try (ZipFile war = new ZipFile(WAR.toFile())) {
            classes = war.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("WEB-INF/classes/") && name.endsWith(".class")).toList();
        }
        String samples = "WEB-INF/classes/io/breakwater/samples/";
        assertTrue(classes.contains(samples + "chat/ChatEndpoint.class"), classes::toString);
        assertTrue(classes.contains(samples + "echo/EchoEndpoint.class"), classes::toString);
        List<String> programs = classes.stream()
                .filter(name -> name.startsWith(samples + "server/") || name.startsWith(samples + "console/"))
                .toList();
        assertEquals(List.of(), programs, "classes of the programs that run on their own");
    }

    @Test
    void membersOnTheJdkClientAndOnBreakwatersChat() throws Exception {
        URI application = URI.create("ws://127.0.0.1:" + port + "/breakwater-chat/");
        JdkMember jules = JdkMember.join(application, "war", "jules");
        assertEquals(List.of("jules"), jules.next(ServerMessage.Welcome.class).members());

        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .encoders(List.of(ClientMessageEncoder.class))
                .decoders(List.of(ServerMessageDecoder.class))
                .extensions(List.copyOf(container.getInstalledExtensions()))
                .build();
        BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
        try (Session vera = container.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig endpointConfig) {
                session.addMessageHandler(ServerMessage.class, (MessageHandler.Whole<ServerMessage>) received::add);
            }
        }, config, application.resolve("chat/war?name=vera"))) {
            assertEquals(List.of("permessage-deflate"),
                    vera.getNegotiatedExtensions().stream().map(Extension::getName).toList());
            ServerMessage.Welcome welcome = (ServerMessage.Welcome) received.poll(10, TimeUnit.SECONDS);
            assertEquals(List.of("jules", "vera"), welcome.members());
            assertEquals(List.of("permessage-deflate"), welcome.extensions());
            assertEquals("vera", jules.next(ServerMessage.Joined.class).name());

            vera.getBasicRemote().sendObject(new ClientMessage("deployed as a WAR"));
            ServerMessage.Said said = jules.next(ServerMessage.Said.class);
            assertEquals("vera", said.from());
            assertEquals("deployed as a WAR", said.text());

            jules.say("and it works");
            assertEquals("and it works", jules.next(ServerMessage.Said.class).text());
            // Vera hears her own line first, then Jules's.
            assertEquals("deployed as a WAR", text(received.poll(10, TimeUnit.SECONDS)));
            assertEquals("and it works", text(received.poll(10, TimeUnit.SECONDS)));
        }
        assertEquals("vera", jules.next(ServerMessage.Left.class).name());
        jules.leave();
    }

    private static String text(ServerMessage message) {
        assertTrue(message instanceof ServerMessage.Said, "expected a chat line, got " + message);
        return ((ServerMessage.Said) message).text();
    }
}
