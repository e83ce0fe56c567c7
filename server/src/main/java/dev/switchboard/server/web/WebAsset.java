package dev.switchboard.server.web;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * One static file of the web page, held in memory so serving it never touches the disk on an IO thread.
 *
 * @param bytes the file's content (never modified after loading)
 * @param contentType the {@code Content-Type} header value
 * @param etag the quoted entity tag, derived from the content
 */
record WebAsset(byte[] bytes, String contentType, String etag) {
    WebAsset {
        requireNonNull(bytes, "bytes is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(etag, "etag is null");
    }

    /** @return a fresh read-only view of the content, one per response */
    ByteBuffer content() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
}
