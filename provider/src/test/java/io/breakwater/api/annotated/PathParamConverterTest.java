package io.breakwater.api.annotated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.DecodeException;
import org.junit.jupiter.api.Test;

/** §4.3: path segments converted as the boxes' String constructors would (WSC-4.3-4 to -6). */
class PathParamConverterTest {

    @Test
    void convertsLikeTheStringConstructors() throws DecodeException {
        assertEquals("JohnSmith", PathParamConverter.convert("n", "JohnSmith", String.class));
        assertEquals(42, PathParamConverter.convert("n", "42", int.class));
        assertEquals(-7, PathParamConverter.convert("n", "-7", Integer.class));
        assertEquals(5L, PathParamConverter.convert("n", "+5", long.class));
        assertEquals((short) 12, PathParamConverter.convert("n", "12", Short.class));
        assertEquals((byte) 127, PathParamConverter.convert("n", "127", byte.class));
        assertEquals(1.5d, PathParamConverter.convert("n", "1.5", double.class));
        assertEquals(2.5f, PathParamConverter.convert("n", "2.5", Float.class));
        assertEquals(true, PathParamConverter.convert("n", "TRUE", boolean.class));
        assertEquals(false, PathParamConverter.convert("n", "yes", Boolean.class)); // as new Boolean("yes")
        assertEquals('x', PathParamConverter.convert("n", "x", char.class));
    }

    @Test
    void anAbsentNameIsNullForAStringAndWhatTheStringConstructorMakesOfNullOtherwise() throws DecodeException {
        assertNull(PathParamConverter.convert("n", null, String.class)); // §4.3
        // WSC-4.3-5: as new Boolean((String) null), which is false.
        assertEquals(false, PathParamConverter.convert("n", null, Boolean.class));
        assertEquals(false, PathParamConverter.convert("n", null, boolean.class));
    }

    @Test
    void anAbsentNameIsADecodeExceptionForNumbersAndCharacters() {
        // WSC-4.3-5/6: new Integer((String) null) throws; the segment cannot be decoded.
        for (Class<?> type : new Class<?>[] {int.class, Integer.class, long.class, Double.class, char.class, Character.class}) {
            DecodeException e = assertThrows(DecodeException.class, () -> PathParamConverter.convert("id", null, type),
                    type.getName());
            assertTrue(e.getMessage().contains("'id'"), e.getMessage());
        }
    }

    @Test
    void unconvertibleSegmentsAreDecodeExceptions() {
        DecodeException e = assertThrows(DecodeException.class,
                () -> PathParamConverter.convert("level", "gold", Integer.class));
        assertEquals("gold", e.getText());
        assertTrue(e.getMessage().contains("'level'"));
        assertTrue(e.getCause() instanceof NumberFormatException);
        assertThrows(DecodeException.class, () -> PathParamConverter.convert("n", "300", byte.class));
        assertThrows(DecodeException.class, () -> PathParamConverter.convert("n", "xy", char.class));
        assertThrows(DecodeException.class, () -> PathParamConverter.convert("n", "", Character.class));
        assertThrows(DecodeException.class, () -> PathParamConverter.convert("n", "1.5", long.class));
    }
}
