package dev.switchboard.server.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.bootstrap.ApiDocsWriter;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route documentation against a real server's route registry: every route documented, {@code /openapi.json}
 * served over a real socket and valid OpenAPI 3.1 by swagger-parser with every route, parameter and permission in
 * it, and the committed {@code docs/api.md} exactly what the registry generates.
 */
final class ApiDocsTest {
    @TempDir
    static Path folder;
    private static SwitchboardServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SwitchboardServer.start(new ServerOptions("127.0.0.1", 0, folder.resolve("data"),
                Files.createDirectories(folder.resolve("plugins")), false, 1 << 20, Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRouteDocumentsItselfWithItsParametersAndAnswer() {
        Collection<ApiRoute> routes = server.routes();
        assertThat(routes).extracting(ApiRoute::name).containsExactlyInAnyOrderElementsOf(server.routeNames())
                .contains("GetNewSession", "ListBackends", "AddNewBackend", "GenerateText2Image", "ListT2IParams");
        for (ApiRoute route : routes) {
            RouteDoc doc = route.doc();
            assertThat(doc.isEmpty()).as("%s has no RouteDoc: override ApiRoute.doc()", route.name()).isFalse();
            assertThat(doc.summary()).as(route.name()).endsWith(".");
            assertThat(doc.answer()).as("%s documents its answer", route.name()).isNotEmpty();
            for (ApiParam parameter : doc.parameters()) {
                assertThat(parameter.description()).as("%s.%s", route.name(), parameter.name()).isNotBlank();
            }
        }
    }

    @Test
    void openApiJsonIsValidOpenApi31WithEveryRouteParameterAndPermission() throws Exception {
        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + OpenApiHandler.PATH)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).contains("application/json");

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.body(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's validation messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getPaths()).hasSize(server.routes().size());
        for (ApiRoute route : server.routes()) {
            PathItem path = api.getPaths().get("/API/" + route.name());
            assertThat(path).as(route.name()).isNotNull();
            Operation operation = route.webSocketOnly() ? path.getGet() : path.getPost();
            assertThat(operation).as(route.name()).isNotNull();
            assertThat(operation.getOperationId()).isEqualTo(route.name());
            assertThat(operation.getDescription()).isEqualTo(route.doc().summary());
            assertThat(operation.getExtensions()).containsEntry("x-permission",
                    OpenApiDocument.permission(route.permission()));
            if (route.webSocketOnly()) {
                continue;
            }
            Schema<?> body = operation.getRequestBody().getContent().get("application/json").getSchema();
            List<String> required = new ArrayList<>();
            for (ApiParam parameter : route.doc().parameters()) {
                Schema<?> property = body.getProperties().get(parameter.name());
                assertThat(property).as("%s.%s", route.name(), parameter.name()).isNotNull();
                assertThat(property.getTypes()).containsExactly(parameter.type().schemaName());
                assertThat(property.getDescription()).isEqualTo(parameter.description());
                parameter.defaultIfAbsent().ifPresent(value ->
                        assertThat(String.valueOf(property.getDefault())).isEqualTo(String.valueOf(value)));
                if (parameter.required()) {
                    required.add(parameter.name());
                }
            }
            assertThat(body.getProperties().containsKey("session_id")).isEqualTo(route.requiresSession());
            assertThat(body.getRequired() == null ? List.of() : body.getRequired())
                    .containsExactlyInAnyOrderElementsOf(required);
            assertThat(operation.getResponses()).containsKeys("200", "400");
        }
    }

    @Test
    void theCommittedDocsApiMdIsWhatTheRouteRegistryGenerates() throws Exception {
        Path committed = Path.of(System.getProperty("switchboard.api.docs"));
        String generated = ApiDocsWriter.markdown();
        assertThat(generated).isEqualTo(ApiMarkdown.of(server.routes()));
        assertThat(Files.isRegularFile(committed)).as("%s exists; write it with: %s", committed,
                ApiMarkdown.REGENERATE).isTrue();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("docs/api.md differs from what the route registry generates; regenerate it with: %s",
                        ApiMarkdown.REGENERATE)
                .isEqualTo(generated);
    }
}
