package io.breakwater.api.annotated;

import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;

/** Decoders for the tests; none of them is ever called, only their declared types matter. */
final class TestDecoders {

    private TestDecoders() {
    }

    record Point(int x, int y) {
    }

    interface Shape {
    }

    record Circle(int radius) implements Shape {
    }

    record Blob(byte[] bytes) {
    }

    record Document(String text) {
    }

    record Upload(int size) {
    }

    /** A generic base class: the decoded type is bound by the subclass (§4.1.3 decoders are found by type). */
    abstract static class TextBase<T> implements Decoder.Text<T> {
        @Override
        public T decode(String s) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean willDecode(String s) {
            return true;
        }

        @Override
        public void init(EndpointConfig config) {
        }

        @Override
        public void destroy() {
        }
    }

    public static final class PointDecoder extends TextBase<Point> {
    }

    public static final class CircleBinaryDecoder implements Decoder.Binary<Circle> {
        @Override
        public Circle decode(ByteBuffer bytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean willDecode(ByteBuffer bytes) {
            return true;
        }
    }

    public static final class BlobDecoder implements Decoder.BinaryStream<Blob> {
        @Override
        public Blob decode(InputStream is) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class DocumentDecoder implements Decoder.TextStream<Document> {
        @Override
        public Document decode(Reader reader) {
            throw new UnsupportedOperationException();
        }
    }

    /** Decodes the same type from both native message types. */
    public static final class UploadTextDecoder extends TextBase<Upload> {
    }

    public static final class UploadBinaryDecoder implements Decoder.Binary<Upload> {
        @Override
        public Upload decode(ByteBuffer bytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean willDecode(ByteBuffer bytes) {
            return true;
        }
    }
}
