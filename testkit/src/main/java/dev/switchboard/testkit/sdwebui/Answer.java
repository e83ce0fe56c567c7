package dev.switchboard.testkit.sdwebui;

/**
 * What the stand-in sends back for one request.
 *
 * @param status the HTTP status
 * @param json the body, JSON text
 */
record Answer(int status, String json) {
    static Answer notFound() {
        return new Answer(404, "{\"detail\":\"Not Found\"}");
    }
}
