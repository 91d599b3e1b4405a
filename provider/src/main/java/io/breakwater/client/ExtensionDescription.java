package io.breakwater.client;

import io.breakwater.handshake.ExtensionSpec;
import jakarta.websocket.Extension;
import java.util.ArrayList;
import java.util.List;

/** A {@link jakarta.websocket.Extension} as the Jakarta API reports one: a name and its parameters. */
record ExtensionDescription(String getName, List<Extension.Parameter> getParameters) implements Extension {

    ExtensionDescription(String name) {
        this(name, List.of());
    }

    static ExtensionDescription of(ExtensionSpec spec) {
        List<Extension.Parameter> parameters = new ArrayList<>();
        for (ExtensionSpec.Parameter parameter : spec.parameters()) {
            parameters.add(new Parameter(parameter.name(), parameter.value()));
        }
        return new ExtensionDescription(spec.name(), List.copyOf(parameters));
    }

    static ExtensionSpec toSpec(Extension extension) {
        List<ExtensionSpec.Parameter> parameters = new ArrayList<>();
        for (Extension.Parameter parameter : extension.getParameters()) {
            parameters.add(new ExtensionSpec.Parameter(parameter.getName(), parameter.getValue()));
        }
        return new ExtensionSpec(extension.getName(), parameters);
    }

    private record Parameter(String getName, String getValue) implements Extension.Parameter {
    }
}
