package io.breakwater.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads the client ends of connections over 127.0.0.2 to 127.0.0.5: each loopback source address has
 * its own range of about 28,000 ephemeral ports, so ten thousand connections (and those of earlier runs
 * still in TIME_WAIT) never run out of them.
 */
final class SourceAddresses {

    private static final String[] ADDRESSES = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};

    private final InetAddress[] addresses = new InetAddress[ADDRESSES.length];
    private final AtomicInteger next = new AtomicInteger();

    SourceAddresses() {
        try {
            for (int i = 0; i < ADDRESSES.length; i++) {
                addresses[i] = InetAddress.getByName(ADDRESSES[i]);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // literal addresses are never looked up
        }
    }

    /** Binds {@code channel} to the next source address, any port. */
    void bindNext(SocketChannel channel) throws IOException {
        InetAddress address = addresses[Math.floorMod(next.getAndIncrement(), addresses.length)];
        channel.bind(new InetSocketAddress(address, 0));
    }
}
