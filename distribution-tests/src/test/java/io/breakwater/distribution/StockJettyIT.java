package io.breakwater.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's steps for a stock Jetty 12.1 ("Stock Jetty 12.1"), run as written: a new {@code $JETTY_BASE},
 * Breakwater's Jetty module unzipped into it and enabled with {@code --add-modules=http,ee11-deploy,breakwater},
 * the WAR copied to {@code webapps/} as it is, and {@code java -jar $JETTY_HOME/start.jar} on a free port.
 */
class StockJettyIT extends ChatOnAStockContainer {

    /** What Breakwater logs when it falls back to HttpServletRequest.upgrade on Jetty (UpgradeMechanism). */
    static final String FALLBACK_WARNING = "cannot see Jetty's server classes";

    private static Path base;
    private static ServerProcess jetty;
    private static URI application;

    @BeforeAll
    static void installAndStart() throws Exception {
        Path home = Stock.jettyHome();
        base = Stock.freshDirectory("jetty-base");
        Stock.unzip(Stock.jettyModule(), base);
        ServerProcess.Result added = ServerProcess.run(base, List.of(Stock.java(), "-jar",
                home.resolve("start.jar").toString(), "--add-modules=http,ee11-deploy,breakwater"));
        assertEquals(0, added.exitCode(), added.output());
        Files.copy(Stock.war(), base.resolve("webapps").resolve("breakwater-chat.war"));
        int port = Stock.freePort();
        application = URI.create("http://127.0.0.1:" + port + "/breakwater-chat/");
        jetty = ServerProcess.start("jetty", base, List.of(Stock.java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"), Map.of(), application);
    }

    @AfterAll
    static void stop() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Override
    URI application() {
        return application;
    }

    @Test
    void aFrameSentInTheHandshakesWriteIsAnswered() throws Exception {
        try (ChatMember eve = ChatMember.joinWithTheLineInTheHandshakeWrite(application, newRoom(), "eve",
                "sent before the 101")) {
            assertEquals("eve", eve.next("welcome").getString("you"));
            assertSaid(eve.next("message"), "eve", "sent before the 101");
            assertEquals(1000, eve.leave());
        }
    }

    @Test
    void breakwaterUpgradesThroughJettyAndSaysNothingOfAFallback() throws Exception {
        // The module loads Breakwater beside Jetty's classes, so JettyUpgrade carries the connections: the
        // browsers' connections of the other tests would be lost on HttpServletRequest.upgrade, and
        // StockJettyWithoutTheModuleIT shows the warning Breakwater gives then.
        String output = jetty.output();
        assertFalse(output.contains(FALLBACK_WARNING), output);
        assertTrue(output.contains("Started oeje11w.WebAppContext") && output.contains("/breakwater-chat"), output);
    }

    @Test
    void jettysOwnJakartaWebSocketCannotBeEnabledBesideIt() throws Exception {
        ServerProcess.Result both = ServerProcess.run(base, List.of(Stock.java(), "-jar",
                Stock.jettyHome().resolve("start.jar").toString(), "--add-modules=ee11-websocket-jakarta"));
        assertNotEquals(0, both.exitCode(), both.output());
        assertTrue(both.output().contains("provides ee11-websocket-jakarta, which is already provided by breakwater"),
                both.output());
    }
}
