package io.breakwater.spring.boot;

import io.breakwater.servlet.BreakwaterServletContainerInitializer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Breakwater's server settings as Spring Boot properties ({@code breakwater.server.*}). Each one is handed to
 * Breakwater as the servlet context parameter of the same name ({@code io.breakwater.server.*}), which a
 * {@code web.xml} would set; Breakwater's initializer reads and checks them there, as in any other deployment,
 * so a value out of range fails the start-up with the same message. A setting left unset keeps Breakwater's
 * default (README, "Security").
 */
@ConfigurationProperties("breakwater.server")
public class BreakwaterServerProperties {

    /**
     * How many application callbacks (endpoint methods, message handlers) may run at once; more wait their turn.
     * Default: a quarter of the container's request pool where it can be read (Jetty's), else 50; at most 64.
     */
    private Integer callbackThreads;

    /**
     * Where application callbacks run: "pool" (the default) or "virtual" (a virtual thread per callback, JDK 21
     * and newer; the callback limit still applies).
     */
    private String callbackExecutor;

    /**
     * The bytes a session may have waiting to be written before async sends are refused and reading from its
     * peer pauses. Default 4MB.
     */
    private DataSize maxQueuedBytes;

    /** How long to wait for the peer's part of a close handshake, on shutdown too. Default 5s. */
    private Duration closeTimeout;

    /** How long without a frame from the peer before a session pings it; 0 switches the keepalive off. Default 30s. */
    private Duration keepaliveInterval;

    /** How long the peer has, after a keepalive ping, to send anything before the session is closed. Default 20s. */
    private Duration keepaliveTimeout;

    /**
     * The origins whose pages may open WebSocket connections, e.g. https://chat.example.com; a handshake with
     * another Origin gets 403. Default: every origin.
     */
    private List<String> allowedOrigins;

    /** Names of extensions accepted without parameters and without effect on the frames. Default: none. */
    private List<String> extensions;

    /**
     * How an accepted handshake becomes a WebSocket connection: "auto" (the default: Jetty's own connection
     * upgrade on Jetty, HttpServletRequest.upgrade elsewhere) or "servlet" (HttpServletRequest.upgrade always).
     */
    private String upgrade;

    /**
     * The servlet context parameters these properties stand for, by parameter name; the unset ones are left out.
     * Durations are given in milliseconds and sizes in bytes, the units of the parameters.
     */
    Map<String, String> contextParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (callbackThreads != null) {
            parameters.put(BreakwaterServletContainerInitializer.CALLBACK_THREADS_PARAMETER, callbackThreads.toString());
        }
        if (callbackExecutor != null) {
            parameters.put(BreakwaterServletContainerInitializer.CALLBACK_EXECUTOR_PARAMETER, callbackExecutor);
        }
        if (maxQueuedBytes != null) {
            parameters.put(BreakwaterServletContainerInitializer.MAX_QUEUED_BYTES_PARAMETER,
                    Long.toString(maxQueuedBytes.toBytes()));
        }
        putMillis(parameters, BreakwaterServletContainerInitializer.CLOSE_TIMEOUT_PARAMETER, closeTimeout);
        putMillis(parameters, BreakwaterServletContainerInitializer.KEEPALIVE_INTERVAL_PARAMETER, keepaliveInterval);
        putMillis(parameters, BreakwaterServletContainerInitializer.KEEPALIVE_TIMEOUT_PARAMETER, keepaliveTimeout);
        if (allowedOrigins != null) {
            parameters.put(BreakwaterServletContainerInitializer.ALLOWED_ORIGINS_PARAMETER,
                    String.join(",", allowedOrigins));
        }
        if (extensions != null) {
            parameters.put(BreakwaterServletContainerInitializer.EXTENSIONS_PARAMETER, String.join(",", extensions));
        }
        if (upgrade != null) {
            parameters.put(BreakwaterServletContainerInitializer.UPGRADE_PARAMETER, upgrade);
        }
        return parameters;
    }

    /**
     * The property that stands for the context parameter {@code parameter}: the parameter's last segment in kebab
     * case under {@code breakwater.server} ({@code io.breakwater.server.keepaliveInterval} is
     * {@code breakwater.server.keepalive-interval}).
     */
    static String propertyFor(String parameter) {
        String name = parameter.substring(parameter.lastIndexOf('.') + 1);
        return "breakwater.server." + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void putMillis(Map<String, String> parameters, String name, Duration duration) {
        if (duration != null) {
            parameters.put(name, Long.toString(duration.toMillis()));
        }
    }

    public Integer getCallbackThreads() {
        return callbackThreads;
    }

    public void setCallbackThreads(Integer callbackThreads) {
        this.callbackThreads = callbackThreads;
    }

    public String getCallbackExecutor() {
        return callbackExecutor;
    }

    public void setCallbackExecutor(String callbackExecutor) {
        this.callbackExecutor = callbackExecutor;
    }

    public DataSize getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Duration getKeepaliveInterval() {
        return keepaliveInterval;
    }

    public void setKeepaliveInterval(Duration keepaliveInterval) {
        this.keepaliveInterval = keepaliveInterval;
    }

    public Duration getKeepaliveTimeout() {
        return keepaliveTimeout;
    }

    public void setKeepaliveTimeout(Duration keepaliveTimeout) {
        this.keepaliveTimeout = keepaliveTimeout;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getExtensions() {
        return extensions;
    }

    public void setExtensions(List<String> extensions) {
        this.extensions = extensions;
    }

    public String getUpgrade() {
        return upgrade;
    }

    public void setUpgrade(String upgrade) {
        this.upgrade = upgrade;
    }
}
