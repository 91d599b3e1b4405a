package io.breakwater.samples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where the chat listens: on every interface unless it is given a host, and then there only. Linux
 * routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is another address of this machine.
 */
class ChatServerHostTest {

    /** An address of TEST-NET-3 (RFC 5737), on no interface of a machine that runs the tests. */
    private static final String NOT_THIS_MACHINE = "203.0.113.77";

    @Test
    void everyInterfaceByDefaultAndTheGivenAddressOnly() throws Exception {
        try (ChatServer everywhere = ChatServer.start(0)) {
            assertEquals(URI.create("http://localhost:" + everywhere.port() + "/"), everywhere.pageUri());
            assertTrue(accepts("127.0.0.2", everywhere.port()), "on every interface, 127.0.0.2 should reach it");
        }
        try (ChatServer loopback = ChatServer.start(Optional.of("127.0.0.1"), 0)) {
            URI page = loopback.pageUri();
            assertEquals(URI.create("http://127.0.0.1:" + loopback.port() + "/"), page);
            HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode());
            assertFalse(accepts("127.0.0.2", loopback.port()), "on 127.0.0.1 only, 127.0.0.2 should be refused");
        }
    }

    @Test
    void aTakenPortOnTheGivenHostIsAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            PortInUseException failure = assertThrows(PortInUseException.class,
                    () -> ChatServer.start(Optional.of("127.0.0.1"), taken.getLocalPort()));
            assertEquals("Port " + taken.getLocalPort() + " is already in use; choose another with --port N or PORT=N.",
                    failure.getMessage());
        }
    }

    @Test
    void anAddressOfAnotherMachineOrAnUnknownNameIsSaidSo() throws Exception {
        assertNull(NetworkInterface.getByInetAddress(InetAddress.getByName(NOT_THIS_MACHINE)),
                NOT_THIS_MACHINE + " is an address of this machine; the test needs one that is not");
        assertEquals("Cannot listen on " + NOT_THIS_MACHINE + ": it is not an address of this machine;"
                + " choose another with --host H or HOST=H, or neither for every interface.",
                assertThrows(HostUnavailableException.class,
                        () -> ChatServer.start(Optional.of(NOT_THIS_MACHINE), 0)).getMessage());
        // .invalid never resolves (RFC 6761 §6.4).
        assertEquals("Unknown host \"chat.invalid\"; give --host a name this machine resolves,"
                + " or an address such as 127.0.0.1.", assertThrows(HostUnavailableException.class,
                        () -> ChatServer.start(Optional.of("chat.invalid"), 0)).getMessage());
    }

    private static boolean accepts(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 10_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }
}
