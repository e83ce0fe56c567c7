package dev.switchboard.server.store;

/**
 * Turns one kind of document (the backends, the accounts) into the bytes of its file and back, for a
 * {@link DurableDocument}. Decoding is strict: whatever it accepts encodes back to an equal state.
 *
 * @param <T> the immutable state the file holds; its {@code equals} compares content, since every write is
 *     verified by decoding what was written and comparing it with what was meant
 */
public interface FileCodec<T> {

    /**
     * @return what the file holds, plural and lower-case, as messages name it: {@code backends} makes "the
     *     backends file", "could not save the backends"
     */
    String what();

    /**
     * Reads a file's bytes.
     *
     * @throws StoreFormatException when they are not a valid document; the message says what is wrong and where
     */
    T decode(byte[] bytes) throws StoreFormatException;

    /**
     * Writes a state as a file's bytes.
     *
     * @throws StoreException when the state cannot be written (e.g. text that is not valid Unicode)
     */
    byte[] encode(T state) throws StoreException;
}
