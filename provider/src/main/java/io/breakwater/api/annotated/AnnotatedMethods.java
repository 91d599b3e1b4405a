package io.breakwater.api.annotated;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the methods that carry WebSocket method annotations and take part in the endpoint (WebSocket 2.2 §4.8).
 *
 * <p>Walks the class and its superclasses up to, not including, Object. An annotated method declared by a superclass
 * counts, unless a class lower in the hierarchy overrides it: "Subclasses that override methods annotated with
 * WebSocket method annotations do not obtain WebSocket callbacks unless those subclass methods themselves are marked
 * with a method level WebSocket annotation" — so an unannotated override removes the callback, and an annotated one
 * replaces it (found at its own level). Two distinct annotated methods anywhere in the hierarchy for the same
 * annotation are duplicates (the TCK's inheritance tests expect a deployment error). Interfaces are not scanned.
 * Bridge and synthetic methods are skipped: javac copies annotations onto bridges.
 */
final class AnnotatedMethods {

    static final List<Class<? extends Annotation>> ANNOTATIONS =
            List.of(OnOpen.class, OnClose.class, OnError.class, OnMessage.class);

    private static final Comparator<Method> ORDER = Comparator.comparing(Method::getName)
            .thenComparing(m -> Arrays.toString(m.getParameterTypes()));

    private AnnotatedMethods() {
    }

    /**
     * The effective annotated methods, per annotation, subclass methods first.
     *
     * @throws DeploymentException for an annotated method that is static or not public
     */
    static Map<Class<? extends Annotation>, List<Method>> find(Class<?> endpointClass) throws DeploymentException {
        Map<Class<? extends Annotation>, List<Method>> found = new LinkedHashMap<>();
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            found.put(annotation, new ArrayList<>());
        }
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = endpointClass; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(c);
        }
        for (int level = 0; level < hierarchy.size(); level++) {
            Method[] declared = hierarchy.get(level).getDeclaredMethods();
            Arrays.sort(declared, ORDER);
            for (Method method : declared) {
                if (method.isBridge() || method.isSynthetic() || !hasWebSocketAnnotation(method)) {
                    continue;
                }
                checkModifiers(endpointClass, method);
                if (overriddenBelow(method, hierarchy.subList(0, level))) {
                    continue; // §4.8: the override, annotated or not, decides
                }
                for (Class<? extends Annotation> annotation : ANNOTATIONS) {
                    if (method.isAnnotationPresent(annotation)) {
                        found.get(annotation).add(method);
                    }
                }
            }
        }
        return found;
    }

    private static boolean hasWebSocketAnnotation(Method method) {
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            if (method.isAnnotationPresent(annotation)) {
                return true;
            }
        }
        return false;
    }

    private static void checkModifiers(Class<?> endpointClass, Method method) throws DeploymentException {
        String annotation = annotationNames(method);
        if (Modifier.isStatic(method.getModifiers())) {
            // The container calls these methods on the endpoint instance of each connection (§4.4 to §4.7, §5.1).
            throw Describe.methodError(endpointClass, method,
                    "is static; methods annotated " + annotation + " must be instance methods", "§4.4-§4.7");
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw Describe.methodError(endpointClass, method,
                    "is not public; methods annotated " + annotation + " must be public", "§4.4-§4.7");
        }
    }

    private static String annotationNames(Method method) {
        StringBuilder names = new StringBuilder();
        for (Class<? extends Annotation> annotation : ANNOTATIONS) {
            if (method.isAnnotationPresent(annotation)) {
                names.append(names.length() == 0 ? "" : " ").append('@').append(annotation.getSimpleName());
            }
        }
        return names.toString();
    }

    /**
     * Whether a class below the declaring class in the hierarchy overrides the method. A bridge method with the same
     * signature counts only when that class also declares a real method of that name and arity, the override the
     * bridge leads to (a generic or covariant override). Otherwise it is the public "visibility bridge" javac adds to
     * a public class for a public method inherited from a non-public superclass, which just calls the inherited
     * method: no override.
     */
    private static boolean overriddenBelow(Method method, List<Class<?>> lower) {
        for (Class<?> c : lower) {
            boolean bridgeOnly = false;
            for (Method candidate : c.getDeclaredMethods()) {
                int modifiers = candidate.getModifiers();
                if (!candidate.getName().equals(method.getName()) || Modifier.isStatic(modifiers)
                        || Modifier.isPrivate(modifiers)
                        || !Arrays.equals(candidate.getParameterTypes(), method.getParameterTypes())) {
                    continue;
                }
                if (!candidate.isBridge()) {
                    return true;
                }
                bridgeOnly = true;
            }
            if (bridgeOnly && declaresRealMethod(c, method.getName(), method.getParameterCount())) {
                return true;
            }
        }
        return false;
    }

    private static boolean declaresRealMethod(Class<?> c, String name, int parameterCount) {
        for (Method candidate : c.getDeclaredMethods()) {
            if (!candidate.isBridge() && !candidate.isSynthetic() && candidate.getName().equals(name)
                    && candidate.getParameterCount() == parameterCount
                    && !Modifier.isStatic(candidate.getModifiers())) {
                return true;
            }
        }
        return false;
    }
}
