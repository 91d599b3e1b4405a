package io.breakwater.conformance.run;

import io.breakwater.conformance.wire.Frame;
import io.breakwater.conformance.wire.FrameDecoder;
import io.breakwater.conformance.wire.FrameEncoder;
import io.breakwater.conformance.wire.MessageCompressor;
import io.breakwater.conformance.wire.Opcode;
import io.breakwater.conformance.wire.Utf8;
import io.breakwater.conformance.wire.WireViolation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One established WebSocket connection on the fuzzer's side: writes exactly the frames a case asks
 * for, reads the peer on its own thread, checks every frame the peer sends against RFC 6455, answers
 * pings and close frames as RFC 6455 requires, and records what it saw.
 */
public final class FuzzConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean weAreServer;
    private final Random random;
    private final WireLog log;
    private final MessageCompressor compressor;
    private final Object writeLock = new Object();
    private final Object stateLock = new Object();
    private final Thread reader;

    // Guarded by stateLock.
    private final List<Event> events = new ArrayList<>();
    private boolean closeSent;
    private Integer closeSentCode;
    private boolean closeReceived;
    private boolean closeReceivedFirst;
    private int peerCloseCode = -1;
    private String peerCloseReason;
    private boolean tcpEnded;
    private boolean droppedByMe;
    private String peerViolation;
    private int eventsBeforePeerClose = -1;

    // Only the reader thread: the message being assembled.
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    /**
     * @param in the socket's input, positioned after the handshake
     * @param compressor permessage-deflate as agreed, or null
     */
    public FuzzConnection(Socket socket, InputStream in, boolean weAreServer, Random random, WireLog log,
                          MessageCompressor compressor) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.weAreServer = weAreServer;
        this.random = random;
        this.log = log;
        this.compressor = compressor;
        this.reader = new Thread(this::readLoop, "fuzz-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public boolean deflateAgreed() {
        return compressor != null;
    }

    // ---------------------------------------------------------------- sending

    /** Writes a frame as it is (masked when we are the client, §5.3), in pieces of {@code chop} bytes. */
    public void send(Frame frame, int chop) throws IOException {
        Frame wire = weAreServer ? frame.withMask(null) : frame.withMask(newMask());
        noteIfClose(wire);
        byte[] bytes = FrameEncoder.encode(wire);
        synchronized (writeLock) {
            log.add("TX FRAME", wire.describe() + (chop > 0 ? ", CHOPSIZE=" + chop : ""));
            if (chop <= 0) {
                write(bytes, 0, bytes.length);
            } else {
                for (int at = 0; at < bytes.length; at += chop) {
                    write(bytes, at, Math.min(chop, bytes.length - at));
                }
            }
        }
        if (wire.opcode() == Opcode.CLOSE) {
            dropIfHandshakeDone();
        }
    }

    public void send(Frame frame) throws IOException {
        send(frame, 0);
    }

    /** Several frames in one write; Close frames among them count as sent. */
    public void sendAll(List<Frame> frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        synchronized (writeLock) {
            for (Frame frame : frames) {
                Frame wire = weAreServer ? frame.withMask(null) : frame.withMask(newMask());
                noteIfClose(wire);
                log.add("TX FRAME", wire.describe() + " (in one write with " + frames.size() + " frames)");
                all.writeBytes(FrameEncoder.encode(wire));
            }
            byte[] bytes = all.toByteArray();
            write(bytes, 0, bytes.length);
        }
    }

    private void noteIfClose(Frame wire) {
        if (wire.opcode() == Opcode.CLOSE) {
            synchronized (stateLock) {
                if (!closeSent) {
                    closeSent = true;
                    closeSentCode = wire.payload().length >= 2
                            ? ((wire.payload()[0] & 0xff) << 8 | (wire.payload()[1] & 0xff)) : CloseCodes.NO_STATUS;
                }
                stateLock.notifyAll();
            }
        }
    }

    /** A data frame with its payload compressed and RSV1 set (RFC 7692 §6) when deflate was agreed. */
    public Frame messageFrame(int opcode, byte[] payload) {
        if (compressor == null) {
            return Frame.of(opcode, payload);
        }
        return Frame.of(opcode, compressor.compress(payload)).withRsv(4);
    }

    /** The frame's octets as we would send it, logged as a frame; the caller writes them with sendRaw. */
    public byte[] encode(Frame frame) {
        Frame wire = weAreServer ? frame.withMask(null) : frame.withMask(newMask());
        log.add("TX FRAME", wire.describe() + " (written by the case in pieces)");
        return FrameEncoder.encode(wire);
    }

    /** Raw bytes, for cases that break framing on purpose. */
    public void sendRaw(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            write(bytes, 0, bytes.length);
        }
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        log.octets("TX OCTETS", bytes, offset, length);
        out.write(bytes, offset, length);
        out.flush();
    }

    private byte[] newMask() {
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        return mask;
    }

    /** Sends a Close frame with this code (or none when null) and reason. */
    public void sendClose(Integer code, byte[] reason) throws IOException {
        byte[] payload;
        if (code == null) {
            payload = new byte[0];
        } else {
            payload = new byte[2 + reason.length];
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) (int) code;
            System.arraycopy(reason, 0, payload, 2, reason.length);
        }
        send(Frame.of(Opcode.CLOSE, payload));
    }

    // ---------------------------------------------------------------- waiting

    /** Waits until the peer has produced this many events, or closed, or the timeout passed. */
    public boolean awaitEvents(int count, Duration timeout) throws InterruptedException {
        return await(() -> events.size() >= count || closeReceived || tcpEnded, timeout)
                && events().size() >= count;
    }

    /** Waits until the peer sent a Close frame or ended TCP. */
    public boolean awaitPeerCloseOrDrop(Duration timeout) throws InterruptedException {
        return await(() -> closeReceived || tcpEnded, timeout);
    }

    /** Waits until TCP has ended, whichever side ended it. */
    public boolean awaitTcpEnd(Duration timeout) throws InterruptedException {
        return await(() -> tcpEnded, timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateLock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                stateLock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Ends TCP from our side now. */
    public void drop(String why) {
        synchronized (stateLock) {
            if (tcpEnded) {
                return;
            }
            droppedByMe = true;
            tcpEnded = true;
            stateLock.notifyAll();
        }
        log.add("TCP", "DROPPED BY ME: " + why);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all we wanted.
        }
    }

    // ---------------------------------------------------------------- reading

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder(in);
        try {
            while (true) {
                Frame frame = decoder.next();
                if (frame == null) {
                    ended("TCP ENDED BY PEER");
                    return;
                }
                log.add("RX FRAME", frame.describe());
                if (closeReceived()) {
                    // §5.5.1: nothing may follow a Close frame.
                    violation("frame after the peer's Close frame: " + Opcode.name(frame.opcode()), 1002);
                    return;
                }
                String problem = check(frame);
                if (problem != null) {
                    violation(problem, problem.contains("UTF-8") ? 1007 : 1002);
                    return;
                }
            }
        } catch (WireViolation e) {
            violation(e.getMessage(), 1002);
        } catch (IOException e) {
            ended("TCP ENDED: " + e.getMessage());
        }
    }

    private boolean closeReceived() {
        synchronized (stateLock) {
            return closeReceived;
        }
    }

    /** Checks one frame from the peer and acts on it; returns the violation, if any. */
    private String check(Frame frame) throws IOException {
        // §5.1: a server must not mask, a client must.
        if (weAreServer && frame.mask() == null) {
            return "unmasked frame from the client (RFC 6455 §5.1)";
        }
        if (!weAreServer && frame.mask() != null) {
            return "masked frame from the server (RFC 6455 §5.1)";
        }
        int opcode = frame.opcode();
        if (Opcode.isReserved(opcode)) {
            return "reserved opcode " + opcode + " (RFC 6455 §5.2)";
        }
        boolean rsv1Allowed = compressor != null && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if ((frame.rsv() & 3) != 0 || (frame.rsv() & 4) != 0 && !rsv1Allowed) {
            return "RSV bits " + frame.rsv() + " without an extension that defines them (RFC 6455 §5.2, RFC 7692 §6)";
        }
        if (Opcode.isControl(opcode)) {
            if (!frame.fin()) {
                return "fragmented control frame (RFC 6455 §5.5)";
            }
            if (frame.payload().length > 125) {
                return "control frame payload of " + frame.payload().length + " bytes (RFC 6455 §5.5)";
            }
            return control(frame);
        }
        if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode < 0) {
                return "continuation frame with no message to continue (RFC 6455 §5.4)";
            }
        } else {
            if (messageOpcode >= 0) {
                return "new data frame inside a fragmented message (RFC 6455 §5.4)";
            }
            messageOpcode = opcode;
            messageCompressed = (frame.rsv() & 4) != 0;
        }
        message.write(frame.payload());
        if (!frame.fin()) {
            return null;
        }
        byte[] data = message.toByteArray();
        message.reset();
        int kind = messageOpcode;
        boolean compressed = messageCompressed;
        messageOpcode = -1;
        if (compressed) {
            data = compressor.decompress(data);
        }
        if (kind == Opcode.TEXT && !Utf8.isValid(data)) {
            return "text message is not valid UTF-8 (RFC 6455 §8.1)";
        }
        record(kind == Opcode.TEXT ? Event.text(data) : Event.binary(data));
        return null;
    }

    private String control(Frame frame) throws IOException {
        switch (frame.opcode()) {
            case Opcode.PING -> {
                // §5.5.2: answer with a pong with the same application data, unless we have closed.
                boolean closing;
                synchronized (stateLock) {
                    closing = closeSent;
                }
                if (!closing) {
                    send(Frame.of(Opcode.PONG, frame.payload()));
                }
                return null;
            }
            case Opcode.PONG -> {
                record(Event.pong(frame.payload()));
                return null;
            }
            default -> {
                return closeFrame(frame.payload());
            }
        }
    }

    private String closeFrame(byte[] payload) throws IOException {
        int code;
        String reason = "";
        if (payload.length == 0) {
            code = CloseCodes.NO_STATUS;
        } else if (payload.length == 1) {
            return "close frame with a 1-byte payload (RFC 6455 §5.5.1)";
        } else {
            code = (payload[0] & 0xff) << 8 | (payload[1] & 0xff);
            if (!CloseCodes.mayBeSent(code)) {
                return "close code " + code + " may not be sent (RFC 6455 §7.4)";
            }
            byte[] reasonBytes = java.util.Arrays.copyOfRange(payload, 2, payload.length);
            if (!Utf8.isValid(reasonBytes)) {
                return "close reason is not valid UTF-8 (RFC 6455 §5.5.1)";
            }
            reason = new String(reasonBytes, StandardCharsets.UTF_8);
        }
        boolean answer;
        synchronized (stateLock) {
            closeReceived = true;
            closeReceivedFirst = !closeSent;
            peerCloseCode = code;
            peerCloseReason = reason;
            eventsBeforePeerClose = events.size();
            answer = !closeSent;
            stateLock.notifyAll();
        }
        if (answer) {
            // §5.5.1: answer a Close with a Close, echoing the status code.
            try {
                sendClose(code == CloseCodes.NO_STATUS ? null : code, new byte[0]);
            } catch (IOException e) {
                log.add("TX FAILED", e.getMessage());
            }
        }
        dropIfHandshakeDone();
        return null;
    }

    /** §7.1.1: once both Close frames are exchanged the server ends TCP first; a client waits for it. */
    private void dropIfHandshakeDone() {
        boolean done;
        synchronized (stateLock) {
            done = closeSent && closeReceived;
        }
        if (done && weAreServer) {
            drop("closing handshake complete, the server ends TCP (RFC 6455 §7.1.1)");
        }
    }

    private void record(Event event) {
        synchronized (stateLock) {
            events.add(event);
            stateLock.notifyAll();
        }
    }

    private void violation(String problem, int code) {
        synchronized (stateLock) {
            if (peerViolation == null) {
                peerViolation = problem;
            }
        }
        log.add("FAIL", "peer violated the protocol: " + problem);
        try {
            boolean sent;
            synchronized (stateLock) {
                sent = closeSent;
            }
            if (!sent) {
                sendClose(code, new byte[0]);
            }
        } catch (IOException ignored) {
            // The connection is failed either way.
        }
        drop("we failed the connection");
    }

    private void ended(String what) {
        synchronized (stateLock) {
            if (tcpEnded) {
                return;
            }
            tcpEnded = true;
            stateLock.notifyAll();
        }
        log.add("TCP", what);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already ended.
        }
    }

    /** What the closing behaviour is judged on. */
    public CloseState closeState() {
        synchronized (stateLock) {
            return new CloseState(closeSent, closeSentCode, closeReceived, closeReceivedFirst, peerCloseCode,
                    peerCloseReason, tcpEnded, droppedByMe, peerViolation, eventsBeforePeerClose);
        }
    }

    public List<Event> events() {
        synchronized (stateLock) {
            return List.copyOf(events);
        }
    }

    public void stopReader() throws InterruptedException {
        drop("case over");
        reader.join(5000);
        if (compressor != null) {
            compressor.release();
        }
    }
}
