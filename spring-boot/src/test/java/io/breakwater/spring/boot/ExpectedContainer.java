package io.breakwater.spring.boot;

/**
 * The embedded container of this test run: the build runs every test twice, once with Tomcat alone on the class
 * path and once with Jetty alone (see this module's pom), and says which in {@code breakwater.test.container}.
 */
final class ExpectedContainer {

    private ExpectedContainer() {
    }

    /** {@code "Tomcat"} or {@code "Jetty"}: how the class names of Boot's web server for it begin. */
    static String name() {
        String container = System.getProperty("breakwater.test.container", "tomcat");
        return switch (container) {
            case "tomcat" -> "Tomcat";
            case "jetty" -> "Jetty";
            default -> throw new IllegalStateException("breakwater.test.container is tomcat or jetty, not " + container);
        };
    }
}
