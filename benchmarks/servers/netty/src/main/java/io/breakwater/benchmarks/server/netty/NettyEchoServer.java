package io.breakwater.benchmarks.server.netty;

import io.breakwater.benchmarks.server.echo.Listening;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;

/**
 * A raw Netty 4.1 WebSocket echo over NIO, with no Jakarta layer: whole messages (frames aggregated up
 * to the same 16 MiB as the endpoint's limits), permessage-deflate when offered, each frame written back
 * as it came and flushed once per read. The practical ceiling for a WebSocket server on the JVM.
 */
public final class NettyEchoServer {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;

    private NettyEchoServer() {
    }

    /** Writes every data frame back; a frame passed to write is released by the pipeline. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame) {
                context.write(message);
            } else {
                context.fireChannelRead(message);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/echo")
                .allowExtensions(true)
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(new NioEventLoopGroup(1), new NioEventLoopGroup())
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_HANDSHAKE_BYTES),
                                new WebSocketServerCompressionHandler(MAX_MESSAGE_BYTES),
                                new WebSocketServerProtocolHandler(protocol),
                                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                                new Echo());
                    }
                });
        Channel listener = bootstrap.bind(Listening.HOST, Listening.requestedPort(args)).sync().channel();
        Listening.announce(((InetSocketAddress) listener.localAddress()).getPort());
        listener.closeFuture().sync();
    }
}
