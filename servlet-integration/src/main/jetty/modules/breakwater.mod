# Breakwater, a Jakarta WebSocket 2.2 provider, for the ee11 web applications of a Jetty 12.1 base.
#
# Install: unzip breakwater-jetty-module.zip into $JETTY_BASE (this file and lib/breakwater/), then
#   java -jar $JETTY_HOME/start.jar --add-modules=breakwater
# Jetty's own jakarta.websocket support is ee11-websocket-jakarta; a base has one or the other.

[description]
Enables jakarta.websocket APIs for deployed web applications, with Breakwater as the provider.
Breakwater takes the place of ee11-websocket-jakarta and is loaded beside Jetty's classes, so that it
upgrades connections through Jetty itself; applications still see none of Jetty's classes.

[tags]
websocket

[environment]
ee11

# The same feature as Jetty's own module: start.jar refuses to enable both in one base.
[provides]
ee11-websocket-jakarta

# Breakwater's ServletContainerInitializer deploys the @ServerEndpoint classes; Jetty runs initializers and
# finds the classes they ask for only with annotation scanning.
[depend]
ee11-annotations

# On the ee11 environment's class path, as Jetty's lib/ee11-websocket/ jars are: above the web applications,
# where Jetty's classes are visible.
[lib]
lib/breakwater/jakarta.websocket-api-@jakarta.websocket.version@.jar
lib/breakwater/jakarta.websocket-client-api-@jakarta.websocket.version@.jar
lib/breakwater/breakwater-provider-@project.version@.jar
lib/breakwater/breakwater-servlet-integration-@project.version@.jar

# Protected (system) classes are loaded from the environment first and cannot be replaced by a web
# application: a WAR that carries Breakwater in WEB-INF/lib (the sample chat does, for other containers)
# then runs this Breakwater, not its own copy, which Jetty would isolate from its classes. jakarta. is
# protected already, so the API is this module's too.
[ini]
jetty.webapp.addProtectedClasses+=,io.breakwater.
