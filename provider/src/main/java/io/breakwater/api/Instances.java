package io.breakwater.api;

import java.lang.reflect.InvocationTargetException;

/** Creates the application's helper objects (decoders, encoders) through their public no-arg constructors. */
final class Instances {

    private Instances() {
    }

    /**
     * @param role what the instance is for, for the error message
     * @throws IllegalArgumentException naming the class and why it cannot be created
     */
    static <T> T create(Class<T> type, String role) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(role + " " + type.getName() + " has no public no-arg constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + role + " " + type.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(role + " " + type.getName() + " cannot be instantiated: " + e, e);
        }
    }
}
