package dev.switchboard.server.http;

import java.util.Locale;

/**
 * Decides whether a {@code Content-Type} header names a JSON media type, as ASP.NET's
 * {@code HasJsonContentType} does for SwarmUI: {@code application/json} or any {@code type/subtype+json},
 * case-insensitive, with well-formed optional parameters such as {@code charset=utf-8}.
 */
final class JsonContentType {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private JsonContentType() {
    }

    static boolean matches(String headerValue) {
        if (headerValue == null) {
            return false;
        }
        if (headerValue.equals("application/json")) {
            return true; // what nearly every client sends
        }
        Cursor cursor = new Cursor(headerValue);
        cursor.skipWhiteSpace();
        String type = cursor.token();
        if (type.isEmpty() || !cursor.consume('/')) {
            return false;
        }
        String subtype = cursor.token();
        if (subtype.isEmpty() || !parametersAreWellFormed(cursor)) {
            return false;
        }
        String lowerType = type.toLowerCase(Locale.ROOT);
        String lowerSubtype = subtype.toLowerCase(Locale.ROOT);
        return (lowerType.equals("application") && lowerSubtype.equals("json"))
                || (lowerSubtype.endsWith("+json") && lowerSubtype.length() > "+json".length());
    }

    private static boolean parametersAreWellFormed(Cursor cursor) {
        cursor.skipWhiteSpace();
        while (!cursor.atEnd()) {
            if (!cursor.consume(';')) {
                return false;
            }
            cursor.skipWhiteSpace();
            if (cursor.token().isEmpty() || !cursor.consume('=')) {
                return false;
            }
            if (!cursor.quotedString() && cursor.token().isEmpty()) {
                return false;
            }
            cursor.skipWhiteSpace();
        }
        return true;
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return position >= text.length();
        }

        void skipWhiteSpace() {
            while (!atEnd() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
                position++;
            }
        }

        boolean consume(char expected) {
            if (!atEnd() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        String token() {
            int start = position;
            while (!atEnd() && isTokenChar(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        boolean quotedString() {
            if (!consume('"')) {
                return false;
            }
            while (!atEnd()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    return true;
                }
                if (c == '\\') {
                    // An escape needs a character after it; a trailing backslash leaves the string unterminated.
                    if (atEnd()) {
                        return false;
                    }
                    position++;
                }
            }
            return false;
        }

        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
        }
    }
}
